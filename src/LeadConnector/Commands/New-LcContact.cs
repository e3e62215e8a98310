using System;
using System.Collections;
using System.Threading.Tasks;
using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>
    /// New-LcContact: POST /contacts/ (CreateContactDto), or with -Upsert POST /contacts/upsert (create, or update the
    /// contact the location matches by email or phone). Rows come from the pipeline (Import-Csv: the API's camelCase
    /// column names bind by property name) and run -ThrottleLimit at a time, their results in input order.
    /// </summary>
    /// <remarks>
    /// No-duplicate rule: a create is never sent twice once it may have reached the API. An upsert that is matched by
    /// email or phone is sent again after a lost answer (the API finds the contact the lost attempt made).
    /// A refused row is an error that names it: its position in the input (1-based) and its email or phone.
    /// </remarks>
    [Cmdlet(VerbsCommon.New, "LcContact", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(Contact))]
    public sealed class NewLcContactCommand : LcBulkCmdlet
    {
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? FirstName { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? LastName { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Name { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Email { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Phone { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? CompanyName { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Address1 { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? City { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? State { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? PostalCode { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Country { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Website { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Timezone { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [DateOfBirthTransformation]
        public string? DateOfBirth { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Source { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Gender { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? AssignedTo { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Tags")]
        [TagListTransformation]
        public string[]? Tag { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BoolTextTransformation]
        public bool? Dnd { get; set; }

        [Parameter]
        public Hashtable? CustomField { get; set; }

        [Parameter]
        public Hashtable? DndSettings { get; set; }

        [Parameter]
        public object? InboundDndSettings { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(LocationIdCompleter))]
        public string? LocationId { get; set; }

        [Parameter]
        public SwitchParameter Upsert { get; set; }

        [Parameter]
        public SwitchParameter CreateNewIfDuplicateAllowed { get; set; }

        /// <summary>A create whose answer an earlier run lost is looked up by email or phone before it is sent again (never guessed).</summary>
        internal override bool CheckpointRepeatable => false;

        private IDictionary? _customFields, _dndSettings;
        private object? _inbound;
        private int _row;

        protected override void Begin()
        {
            if (CreateNewIfDuplicateAllowed.IsPresent && !Upsert.IsPresent)
                Terminate("-CreateNewIfDuplicateAllowed is an upsert setting: use it with -Upsert.", "ConflictingParameters", ErrorCategory.InvalidArgument, null);
            try
            {
                _customFields = ContactArguments.Plain(CustomField, "-CustomField");
                _dndSettings = ContactArguments.Plain(DndSettings, "-DndSettings");
                _inbound = ContactArguments.PlainObject(InboundDndSettings, "-InboundDndSettings");
            }
            catch (LcException ex)
            {
                Terminate(ex.Message, "InvalidContact", ErrorCategory.InvalidArgument, null);
            }
        }

        protected override void Process()
        {
            var row = ++_row;
            var input = new ContactInput
            {
                LocationId = LocationId, FirstName = FirstName, LastName = LastName, Name = Name, Email = Email, Phone = Phone,
                CompanyName = CompanyName, Address1 = Address1, City = City, State = State, PostalCode = PostalCode, Country = Country,
                Website = Website, Timezone = Timezone, DateOfBirth = DateOfBirth, Source = Source, Gender = Gender, AssignedTo = AssignedTo,
                // An empty tags cell is no tags given, not "no tags": an upsert would otherwise clear the matched contact's tags.
                Tags = Tag == null || Tag.Length == 0 ? null : Tag,
                Dnd = Dnd, CustomFields = _customFields, DndSettings = _dndSettings, InboundDndSettings = _inbound,
                CreateNewIfDuplicateAllowed = CreateNewIfDuplicateAllowed.IsPresent ? true : (bool?)null,
            };
            var who = input.Identity ?? "(no name, email or phone)";
            var ops = new ContactOperations(Session);
            if (!TryPrepare(() =>
                {
                    try { return Upsert.IsPresent ? ops.Upsert(input) : ops.Create(input); }
                    catch (LcException ex) when (ex.Kind == LcErrorKind.InvalidInput) { throw Named(ex, row, who); }
                }, who, out var request, "InvalidContact")) return;
            if (!ShouldProcess($"contact {who} in location {request.LocationId}", Upsert.IsPresent ? "Create or update contact (upsert)" : "Create contact")) return;
            Start(async call =>
            {
                try
                {
                    return Upsert.IsPresent ? await ops.SendUpsertAsync(request, input, call).ConfigureAwait(false)
                        : await ops.SendCreateAsync(request, input, call).ConfigureAwait(false);
                }
                catch (LcException ex) when (ex.Kind != LcErrorKind.Cancelled && !ErrorMap.IsTerminating(ex.Kind))
                {
                    throw Named(ex, row, who);
                }
            }, who, created => WriteObject(created), MadeBefore(ops, request.LocationId, input));
        }

        /// <summary>
        /// -CheckpointPath: how to tell whether an earlier run's send of this row reached the API. An upsert matched by email
        /// or phone is sent again (the API finds what the lost one made); a create (or an upsert that may make a duplicate)
        /// is looked up by its email, then its phone, among the contacts added since that send; a row with neither cannot be
        /// looked up, so it is reported (CheckpointUncertain) rather than sent twice.
        /// </summary>
        private Recheck<Contact>? MadeBefore(ContactOperations ops, string? locationId, ContactInput input)
        {
            if (Upsert.IsPresent && ContactOperations.UpsertIsRepeatable(input)) return (call, sentAt) => Task.FromResult((false, default(Contact)!));
            if (!ContactInput.Given(input.Email) && !ContactInput.Given(input.Phone)) return null;
            return async (call, sentAt) =>
            {
                var found = await ops.FindMadeSinceAsync(locationId, input.Email, input.Phone, sentAt - ClockSkew, call).ConfigureAwait(false);
                return (found != null, found!);
            };
        }

        /// <summary>How far the API's clock may be behind this machine's when a send's time is compared with a dateAdded.</summary>
        internal static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

        /// <summary>"Row 3 (ana@example.com): " and the message: which input row failed, as the user can find it.</summary>
        private static string Row(int row, string who, string? message) => $"Row {row} ({who})" + (message == null ? "" : ": " + message);

        private static LcException Named(LcException ex, int row, string who)
        {
            var named = new LcException(ex.Kind, Row(row, who, ex.Message), ex, ex.StatusCode, ex.Messages, ex.TraceId, ex.Method, ex.Path,
                ex.BodySnippet, ex.RetryAt, ex.Attempts);
            foreach (DictionaryEntry e in ex.Data) named.Data[e.Key] = e.Value;
            return named;
        }
    }
}
