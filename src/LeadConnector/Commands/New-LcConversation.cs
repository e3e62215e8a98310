using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>
    /// New-LcConversation: POST /conversations/ for a contact, once. A contact that has a conversation gets it back, with
    /// a warning, instead of a second one (unless -Force); a create whose answer was lost is looked up, not repeated.
    /// </summary>
    /// <remarks>
    /// Binding: a LeadConnector.Contact binds -Contact by value (PowerShell's first pass), so the conversation written for
    /// it carries the contact's name, email and phone, which the API's answer to a create leaves out. Anything else binds
    /// -ContactId by what it is (<see cref="LcIdAttribute"/>: a conversation or a message gives its ContactId).
    /// The default set is the typed one: PowerShell tries the default set first, with coercion, and a contact would
    /// otherwise bind -ContactId as its string.
    /// </remarks>
    [Cmdlet(VerbsCommon.New, "LcConversation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ContactSet)]
    [OutputType(typeof(Conversation))]
    public sealed class NewLcConversationCommand : LcBulkCmdlet
    {
        private const string ByIdSet = "ById";
        private const string ContactSet = "Contact";

        [Parameter(ParameterSetName = ByIdSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [LcId(LcIdKind.Contact, Defer = new[] { typeof(Contact) })]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        public string ContactId { get; set; } = "";

        [Parameter(ParameterSetName = ContactSet, Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public Contact? Contact { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(LocationIdCompleter))]
        public string? LocationId { get; set; }

        /// <summary>Creates a conversation even when the contact has one (no search first).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>
        /// -CheckpointPath: without -Force every create looks the contact's conversation up first, so it is safe to repeat;
        /// with -Force a conversation of the contact added since the earlier run's send is the one it made.
        /// </summary>
        internal override bool CheckpointRepeatable => !Force.IsPresent;

        protected override void Process()
        {
            var contact = ParameterSetName == ContactSet ? Contact : null;
            var contactId = contact != null ? contact.Id ?? "" : ContactId;
            var force = Force.IsPresent;
            if (!TryPrepare(() => new ConversationOperations(Session).Create(LocationId, contactId), contactId, out var create)) return;
            if (!ShouldProcess($"contact {contactId} in location {create.LocationId}", "Create conversation")) return;
            var once = new ConversationOperations(Session).CreateOnce(create, contactId, force);
            Recheck<ConversationMade>? recheck = null;
            if (force)
            {
                var search = new ConversationOperations(Session).Search(new ConversationQuery { LocationId = create.LocationId, ContactId = contactId }).Page(100, null);
                recheck = async (call, sentAt) =>
                {
                    var since = sentAt - NewLcContactCommand.ClockSkew;
                    foreach (var c in (await search.SendAsync(call).ConfigureAwait(false)).Items)
                        if (c.DateAdded != null && c.DateAdded >= since) return (true, new ConversationMade(c, existed: false));
                    return (false, default(ConversationMade)!);
                };
            }
            Start(once, contactId, made =>
            {
                if (made.Existed)
                    WriteWarning($"Contact {contactId} already has conversation {made.Conversation.Id}: it is written instead of a second one. Use -Force to create another.");
                WriteObject(made.Conversation.FillFrom(contact));
            }, recheck);
        }
    }
}
