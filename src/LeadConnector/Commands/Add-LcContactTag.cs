using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>Add-LcContactTag: POST /contacts/{contactId}/tags, adding tags to the contact's own (none are removed).</summary>
    /// <remarks>
    /// Binding: -ContactId binds by property name; a conversation, a message or a note has a ContactId property, which
    /// wins over the Id alias (PowerShell matches the parameter name before its aliases), and a contact, which has none,
    /// binds its Id.
    /// </remarks>
    [Cmdlet(VerbsCommon.Add, "LcContactTag", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ContactTags))]
    public sealed class AddLcContactTagCommand : LcBulkCmdlet
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
            if (!TryPrepare(() => new ContactTagOperations(Session).Add(contactId, Tag), contactId, out var add, "InvalidTag")) return;
            if (!ShouldProcess($"contact {contactId}", "Add tags (" + ContactTagText.Join(Tag) + ")")) return;
            Start(add, contactId, tags => { if (PassThru.IsPresent) WriteObject(tags); });
        }
    }

    /// <summary>The tags as ShouldProcess and messages show them.</summary>
    internal static class ContactTagText
    {
        public static string Join(string[] tags) => string.Join(", ", tags);
    }
}
