using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>
    /// Get-LcCustomSubtype: GET /conversations/preferences/custom-subtypes, the location's custom subscription subtypes.
    /// The API has no read by id: -Id, -Name and -Channel filter the list it returns (an -Id it does not hold is an error).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "LcCustomSubtype")]
    [OutputType(typeof(CustomSubtype))]
    public sealed class GetLcCustomSubtypeCommand : LcBulkCmdlet
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [LcId(LcIdKind.CustomSubtype)]
        [Alias("CustomSubtypeId", "SubtypeId")]
        [ValidateNotNullOrEmpty]
        public string[]? Id { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string? Name { get; set; }

        [Parameter]
        [ValidateSet("email", "sms", IgnoreCase = true)]
        public string? Channel { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(LocationIdCompleter))]
        public string? LocationId { get; set; }

        protected override void Process()
        {
            var location = LocationId;
            if (!TryPrepare(() => new PreferenceOperations(Session).ListCustomSubtypes(location), location, out var list)) return;
            Start(list, location, all => Write(all, list.LocationId));
        }

        private void Write(IReadOnlyList<CustomSubtype> all, string? location)
        {
            var name = Name == null ? null : WildcardPattern.Get(Name, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            IEnumerable<CustomSubtype> matches = all;
            if (name != null) matches = matches.Where(s => s.Name != null && name.IsMatch(s.Name));
            if (Channel != null) matches = matches.Where(s => string.Equals(s.Channel, Channel, StringComparison.OrdinalIgnoreCase));
            if (Id == null)
            {
                foreach (var s in matches) WriteObject(s);
                return;
            }
            var found = matches.ToList();
            foreach (var id in Id)
            {
                var hit = found.Where(s => string.Equals(s.Id, id, StringComparison.Ordinal)).ToList();
                if (hit.Count == 0)
                    WriteError(ErrorMap.Record(new ItemNotFoundException($"Location {location} has no custom subtype '{id}'" +
                        (name != null || Channel != null ? " that matches -Name and -Channel." : ".")), "CustomSubtypeNotFound", ErrorCategory.ObjectNotFound, id));
                foreach (var s in hit) WriteObject(s);
            }
        }
    }
}
