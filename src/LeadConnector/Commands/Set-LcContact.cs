using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>
    /// Set-LcContact: PUT /contacts/{contactId} (UpdateContactDto) with the given fields. -Tag REPLACES the contact's
    /// tags (the API's rule for this endpoint); Add-LcContactTag and Remove-LcContactTag change some tags only.
    /// </summary>
    /// <remarks>
    /// Binding: only the contact id comes from the pipeline. -ContactId binds by property name; a conversation or a
    /// message has a ContactId property, which wins over the Id alias (a parameter's name is matched before its
    /// aliases), and a contact, which has none, binds its Id. The fields are given on the command line, so a contact
    /// piped in never sends its own values back (its tags among them).
    /// </remarks>
    [Cmdlet(VerbsCommon.Set, "LcContact", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(Contact))]
    public sealed class SetLcContactCommand : LcBulkCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [LcId(LcIdKind.Contact)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        public string ContactId { get; set; } = "";

        [Parameter] public string? FirstName { get; set; }
        [Parameter] public string? LastName { get; set; }
        [Parameter] public string? Name { get; set; }
        [Parameter] public string? Email { get; set; }
        [Parameter] public string? Phone { get; set; }
        [Parameter] public string? Address1 { get; set; }
        [Parameter] public string? City { get; set; }
        [Parameter] public string? State { get; set; }
        [Parameter] public string? PostalCode { get; set; }
        [Parameter] public string? Country { get; set; }
        [Parameter] public string? Website { get; set; }
        [Parameter] public string? Timezone { get; set; }

        [Parameter]
        [DateOfBirthTransformation]
        public string? DateOfBirth { get; set; }

        [Parameter] public string? Source { get; set; }
        [Parameter] public string? AssignedTo { get; set; }

        /// <summary>The contact's tags after the update: every tag it had is replaced by these.</summary>
        [Parameter]
        [TagListTransformation]
        [AllowEmptyCollection]
        public string[]? Tag { get; set; }

        [Parameter]
        [BoolTextTransformation]
        public bool? Dnd { get; set; }

        [Parameter] public Hashtable? CustomField { get; set; }
        [Parameter] public Hashtable? DndSettings { get; set; }
        [Parameter] public object? InboundDndSettings { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private IDictionary? _customFields, _dndSettings;
        private object? _inbound;

        private ContactInput Changes() => new ContactInput
        {
            FirstName = FirstName, LastName = LastName, Name = Name, Email = Email, Phone = Phone, Address1 = Address1, City = City,
            State = State, PostalCode = PostalCode, Country = Country, Website = Website, Timezone = Timezone, DateOfBirth = DateOfBirth,
            Source = Source, AssignedTo = AssignedTo, Tags = Tag, Dnd = Dnd, CustomFields = _customFields, DndSettings = _dndSettings,
            InboundDndSettings = _inbound,
        };

        protected override void Begin()
        {
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
            if (!Changes().HasFields)
                Terminate("Nothing to change: give at least one field, such as -FirstName, -Email, -Tag or -CustomField.", "NothingToUpdate", ErrorCategory.InvalidArgument, null);
        }

        protected override void Process()
        {
            var id = ContactId;
            var update = Changes();
            if (!TryPrepare(() => new ContactOperations(Session).Update(id, update), id, out var put, "InvalidContact")) return;
            if (!ShouldProcess($"contact {id}", "Update contact (" + Describe() + ")")) return;
            Start(put, id, updated => { if (PassThru.IsPresent) WriteObject(updated); });
        }

        /// <summary>The names of the parameters given, for -WhatIf; -Tag says that it replaces.</summary>
        private string Describe()
        {
            var parts = new List<string>();
            foreach (var key in MyInvocation.BoundParameters.Keys)
            {
                if (key == nameof(ContactId) || key == nameof(PassThru) || key == nameof(Connection) || key == nameof(ThrottleLimit)) continue;
                if (!(MyInvocation.BoundParameters[key] is object v) || v is string s && s.Length == 0) continue;
                if (key == nameof(Tag)) parts.Add("Tag (replaces all tags)");
                else if (Common.Contains(key)) continue;
                else parts.Add(key);
            }
            return string.Join(", ", parts);
        }

        private static readonly HashSet<string> Common = new HashSet<string>(System.StringComparer.OrdinalIgnoreCase)
        {
            "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable",
            "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm",
        };
    }
}
