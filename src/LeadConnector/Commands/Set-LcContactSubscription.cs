using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>
    /// Set-LcContactSubscription: POST /conversations/preferences/unsubscriptions/user-change (UserSubscriptionChangeDto),
    /// a subscription change an admin or agent makes for a contact's email address. It changes whether a person receives
    /// mail, so it asks first (ConfirmImpact High) unless -Force.
    /// </summary>
    /// <remarks>
    /// Binding: -ContactId binds by property name (a conversation's or message's ContactId wins over the Id alias, a
    /// contact binds its Id), and -Email too (a contact's or conversation's Email). -Type, -Status and the subtype do not
    /// bind from the pipeline: a contact's Type (lead, customer) is no subscription type.
    /// </remarks>
    [Cmdlet(VerbsCommon.Set, "LcContactSubscription", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(ContactSubscription))]
    public sealed class SetLcContactSubscriptionCommand : LcBulkCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [LcId(LcIdKind.Contact)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        public string ContactId { get; set; } = "";

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Email { get; set; } = "";

        [Parameter(Mandatory = true)]
        [ValidateSet("Default", "Custom", "ResubAll", IgnoreCase = true)]
        public string Type { get; set; } = "";

        [Parameter]
        [ValidateSet("Subscribed", "Unsubscribed", IgnoreCase = true)]
        public string? Status { get; set; }

        [Parameter]
        [ValidateSet(PreferenceOperations.OneOnOne, IgnoreCase = true)]
        public string? SubtypeName { get; set; }

        [Parameter]
        [Alias("CustomSubtypeId")]
        [ValidateNotNullOrEmpty]
        public string? SubtypeId { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? LegalReason { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? LegalDescription { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(LocationIdCompleter))]
        public string? LocationId { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void Process()
        {
            var change = new SubscriptionChange
            {
                LocationId = LocationId,
                ContactId = ContactId,
                Email = Email,
                Type = Type,
                Status = Status,
                SubtypeName = SubtypeName,
                SubtypeId = SubtypeId,
                LegalReason = LegalReason,
                LegalDescription = LegalDescription,
            };
            var contactId = ContactId;
            if (!TryPrepare(() => new PreferenceOperations(Session).ChangeSubscription(change), contactId, out var post, "InvalidSubscriptionChange")) return;
            if (!ShouldProcessOrForce($"contact {contactId} ({change.Email}) in location {post.LocationId}", Describe(change), Force.IsPresent)) return;
            Start(post, contactId, rows => { if (PassThru.IsPresent) foreach (var row in rows) WriteObject(row); });
        }

        private static string Describe(SubscriptionChange c)
        {
            if (c.Type == "resub_all") return "Resubscribe to every email type";
            var verb = c.Status == "subscribed" ? "Resubscribe to" : "Unsubscribe from";
            return c.Type == "custom" ? $"{verb} custom subtype {c.SubtypeId}" : $"{verb} '{c.SubtypeName}'";
        }
    }
}
