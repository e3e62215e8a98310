using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>New-LcCustomSubtype: POST /conversations/preferences/custom-subtypes (CreateCustomSubtypeDto).</summary>
    /// <remarks>Binding: every field binds by property name, so Import-Csv rows (Name, Channel, Language, Description) create one each.</remarks>
    [Cmdlet(VerbsCommon.New, "LcCustomSubtype", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CustomSubtype))]
    public sealed class NewLcCustomSubtypeCommand : LcBulkCmdlet
    {
        /// <summary>-CheckpointPath: a send an earlier run may have made is not repeated (CheckpointUncertain), never guessed.</summary>
        internal override bool CheckpointRepeatable => false;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = "";

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateSet("email", "sms", IgnoreCase = true)]
        public string Channel { get; set; } = "";

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Language { get; set; } = "en";

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Description { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(LocationIdCompleter))]
        public string? LocationId { get; set; }

        protected override void Process()
        {
            var create = new CustomSubtypeCreate { LocationId = LocationId, Name = Name, Description = Description, Channel = Channel, Language = Language };
            if (!TryPrepare(() => new PreferenceOperations(Session).CreateCustomSubtype(create), Name, out var post, "InvalidCustomSubtype")) return;
            if (!ShouldProcess($"location {post.LocationId}", $"Create custom subtype '{create.Name}' ({create.Channel.ToLowerInvariant()}, {create.Language})")) return;
            Start(post, create.Name, created => WriteObject(created));
        }
    }
}
