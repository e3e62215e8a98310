using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>Get-LcEmailMessage: GET /conversations/messages/email/{id}.</summary>
    [Cmdlet(VerbsCommon.Get, "LcEmailMessage")]
    [OutputType(typeof(EmailMessage))]
    public sealed class GetLcEmailMessageCommand : LcBulkCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [LcId(LcIdKind.EmailMessage)]
        [Alias("EmailMessageId")]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; } = new string[0];

        protected override void Process() => StartEach(Id, "Get-LcEmailMessage", new MessageOperations(Session).GetEmail);
    }
}
