using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>
    /// Get-LcContactNote: a contact's notes (GET /contacts/{contactId}/notes), or one note by id
    /// (GET /contacts/{contactId}/notes/{id}).
    /// </summary>
    /// <remarks>
    /// Binding: a contact id string binds -ContactId by value; an object with a ContactId property (a conversation, a
    /// message, a note) binds it by name; a LeadConnector.Contact binds -Contact by value without coercion (the first
    /// pass), so its Id is the contact id. -ContactId cannot alias Id: -Id is the note id of the ById set, and it is not
    /// taken from the pipeline, so a conversation's or a message's Id is never sent as a note id.
    /// </remarks>
    [Cmdlet(VerbsCommon.Get, "LcContactNote", DefaultParameterSetName = ListSet)]
    [OutputType(typeof(ContactNote))]
    public sealed class GetLcContactNoteCommand : LcBulkCmdlet
    {
        private const string ListSet = "List";
        private const string ContactSet = "Contact";
        private const string ByIdSet = "ById";

        [Parameter(ParameterSetName = ListSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ByIdSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [LcId(LcIdKind.Contact, Defer = new[] { typeof(Contact) })]
        [ValidateNotNullOrEmpty]
        public string ContactId { get; set; } = "";

        [Parameter(ParameterSetName = ContactSet, Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public Contact? Contact { get; set; }

        [Parameter(ParameterSetName = ByIdSet, Mandatory = true, Position = 1)]
        [Alias("NoteId")]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; } = new string[0];

        protected override void Process()
        {
            var ops = new ContactNoteOperations(Session);
            if (ParameterSetName == ByIdSet)
            {
                var contactId = ContactId;
                StartEach(Id, "Get-LcContactNote", id => ops.Get(contactId, id));
                return;
            }
            var listed = ParameterSetName == ContactSet ? Contact!.Id ?? "" : ContactId;
            if (!TryPrepare(() => ops.List(listed), listed, out var list)) return;
            Start(list, listed, notes => { foreach (var n in notes) WriteObject(n); });
        }
    }
}
