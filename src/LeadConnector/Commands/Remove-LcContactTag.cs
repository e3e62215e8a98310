using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>
    /// Remove-LcContactTag: DELETE /contacts/{contactId}/tags, with the tags to remove in the request's JSON body
    /// ({ "tags": [...] }). The contact's other tags stay.
    /// </summary>
    /// <remarks>Binding as Add-LcContactTag: a ContactId property wins over a contact's Id.</remarks>
    [Cmdlet(VerbsCommon.Remove, "LcContactTag", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ContactTags))]
    public sealed class RemoveLcContactTagCommand : LcBulkCmdlet
    {
        [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [LcId(LcIdKind.Contact)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        public string ContactId { get; set; } = "";

        [Parameter(Mandatory = true, Position = 0)]
        [Alias("Tags")]
        [ValidateNotNullOrEmpty]
        public string[] Tag { get; set; } = new string[0];

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void Process()
        {
            var contactId = ContactId;
            if (!TryPrepare(() => new ContactTagOperations(Session).Remove(contactId, Tag), contactId, out var remove, "InvalidTag")) return;
            if (!ShouldProcess($"contact {contactId}", "Remove tags (" + ContactTagText.Join(Tag) + ")")) return;
            Start(remove, contactId, tags => { if (PassThru.IsPresent) WriteObject(tags); });
        }
    }
}
