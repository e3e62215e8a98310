using System.Collections.Generic;
using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>Set-LcCustomSubtype: PUT /conversations/preferences/custom-subtypes/{id} (UpdateCustomSubtypeDto): rename, describe, archive.</summary>
    /// <remarks>Binding: -Id and -LocationId bind by property name, so Get-LcCustomSubtype's objects pipe in.</remarks>
    [Cmdlet(VerbsCommon.Set, "LcCustomSubtype", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CustomSubtype))]
    public sealed class SetLcCustomSubtypeCommand : LcBulkCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [LcId(LcIdKind.CustomSubtype)]
        [Alias("CustomSubtypeId", "SubtypeId")]
        [ValidateNotNullOrEmpty]
        public string Id { get; set; } = "";

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        [Parameter]
        [AllowEmptyString]
        public string? Description { get; set; }

        /// <summary>Archives the subtype; -Archive:$false restores an archived one.</summary>
        [Parameter]
        public SwitchParameter Archive { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ResubscriptionLegalFormId { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(LocationIdCompleter))]
        public string? LocationId { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private CustomSubtypeUpdate Changes() => new CustomSubtypeUpdate
        {
            LocationId = LocationId,
            Name = Name,
            Description = Description,
            Archived = MyInvocation.BoundParameters.ContainsKey(nameof(Archive)) ? Archive.IsPresent : (bool?)null,
            ResubscriptionLegalFormId = ResubscriptionLegalFormId,
        };

        protected override void Begin()
        {
            if (!Changes().HasChanges)
                Terminate("Nothing to change: give -Name, -Description, -Archive or -ResubscriptionLegalFormId.", "NothingToUpdate", ErrorCategory.InvalidArgument, null);
        }

        protected override void Process()
        {
            var id = Id;
            var update = Changes();
            if (!TryPrepare(() => new PreferenceOperations(Session).UpdateCustomSubtype(id, update), id, out var put, "InvalidCustomSubtype")) return;
            if (!ShouldProcess($"custom subtype {id} in location {put.LocationId}", Describe(update))) return;
            Start(put, id, updated => { if (PassThru.IsPresent) WriteObject(updated); });
        }

        private static string Describe(CustomSubtypeUpdate u)
        {
            var parts = new List<string>();
            if (u.Name != null) parts.Add($"Name='{u.Name}'");
            if (u.Description != null) parts.Add($"Description='{u.Description}'");
            if (u.ResubscriptionLegalFormId != null) parts.Add($"ResubscriptionLegalFormId={u.ResubscriptionLegalFormId}");
            var verb = u.Archived == true ? "Archive custom subtype" : u.Archived == false ? "Restore (unarchive) custom subtype" : "Update custom subtype";
            return parts.Count == 0 ? verb : verb + " (" + string.Join(", ", parts) + ")";
        }
    }
}
