using System.Management.Automation;

namespace MinimalModule
{
    /// <summary>One item with two properties: what the format file shows.</summary>
    public sealed class MinimalItem
    {
        public string Id { get; set; } = "";
        public int Count { get; set; }
    }

    /// <summary>The module's one cmdlet.</summary>
    [Cmdlet(VerbsCommon.Get, "MinimalItem")]
    [OutputType(typeof(MinimalItem))]
    public sealed class GetMinimalItemCommand : PSCmdlet
    {
        [Parameter(Position = 0)]
        public string Id { get; set; } = "item-1";

        protected override void ProcessRecord() => WriteObject(new MinimalItem { Id = Id, Count = 1 });
    }
}
