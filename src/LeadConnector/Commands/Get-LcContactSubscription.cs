using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>
    /// Get-LcContactSubscription: GET /conversations/preferences/unsubscriptions/status, every subscription status of a
    /// contact (of one email address with -Email).
    /// </summary>
    /// <remarks>
    /// Binding: -ContactId binds by property name; a conversation or a message has a ContactId property, which wins over
    /// the Id alias (PowerShell matches the parameter name before its aliases), and a contact, which has none, binds its Id.
    /// -Email does not bind from the pipeline: without it every address of the contact is read.
    /// </remarks>
    [Cmdlet(VerbsCommon.Get, "LcContactSubscription")]
    [OutputType(typeof(ContactSubscription))]
    public sealed class GetLcContactSubscriptionCommand : LcBulkCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [LcId(LcIdKind.Contact)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        public string ContactId { get; set; } = "";

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Email { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(LocationIdCompleter))]
        public string? LocationId { get; set; }

        protected override void Process()
        {
            var contactId = ContactId;
            if (!TryPrepare(() => new PreferenceOperations(Session).GetSubscriptionStatus(LocationId, contactId, Email), contactId, out var get, "InvalidEmail")) return;
            Start(get, contactId, rows => { foreach (var row in rows) WriteObject(row); });
        }
    }
}
