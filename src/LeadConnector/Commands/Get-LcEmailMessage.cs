using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>Get-LcEmailMessage: GET /conversations/messages/email/{id}.</summary>
    [Cmdlet(VerbsCommon.Get, "LcEmailMessage")]
    [OutputType(typeof(EmailMessage))]
    public sealed class GetLcEmailMessageCommand : LcCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("EmailMessageId")]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; } = new string[0];

        [Parameter]
        public Connection? Connection { get; set; }

        protected override void Process()
        {
            var ops = new MessageOperations(RequireConnection(Connection));
            foreach (var id in ProgressBar.Each(this, Id, "Get-LcEmailMessage"))
                if (TryAwait(call => ops.GetEmailAsync(id, call), id, out var message))
                    WriteObject(message);
        }
    }
}
