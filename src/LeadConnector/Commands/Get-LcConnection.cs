using System;
using System.Collections.Generic;
using System.Management.Automation;
using LeadConnector.Engine;

namespace LeadConnector.Commands
{
    /// <summary>
    /// Get-LcConnection: shows the current connection's settings (never the token). With no connection it writes
    /// nothing, so scripts can say <c>if (-not (Get-LcConnection)) { Connect-Lc }</c>. With -ListAvailable: the saved
    /// connections (Save-LcConnection), never their secrets.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "LcConnection", DefaultParameterSetName = CurrentSet)]
    // With -ListAvailable it writes LeadConnector.SavedConnectionInfo objects (documented); the declared type is the current connection's.
    [OutputType(typeof(Connection))]
    public sealed class GetLcConnectionCommand : LcCmdlet
    {
        private const string CurrentSet = "Current";
        private const string ListSet = "ListAvailable";

        /// <summary>Lists the saved connections instead of showing the current one.</summary>
        [Parameter(ParameterSetName = ListSet, Mandatory = true)]
        public SwitchParameter ListAvailable { get; set; }

        /// <summary>With -ListAvailable: only the saved connections of these names (wildcards allowed).</summary>
        [Parameter(ParameterSetName = ListSet, Position = 0)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SavedConnectionNameCompleter))]
        public string[]? Name { get; set; }

        protected override void Process()
        {
            if (ParameterSetName == ListSet)
            {
                List();
                return;
            }
            var current = ConnectionStore.Current;
            if (current == null) WriteVerbose("Not connected. Run Connect-Lc.");
            else WriteObject(current);
        }

        private void List()
        {
            var store = SavedConnectionStore.ForCurrentUser();
            IReadOnlyList<SavedConnectionInfo> saved;
            try
            {
                saved = store.List((file, reason) => WriteWarning($"Skipped '{file}': {reason}"));
            }
            catch (Exception ex) when (RefreshTokenStore.IsFileError(ex))
            {
                ThrowTerminatingError(ErrorMap.Record(ex, "SavedConnectionReadError", ErrorCategory.ReadError, store.Folder));
                return;
            }
            if (saved.Count == 0 && Name == null) WriteVerbose($"No saved connections in '{store.Folder}'. Save-LcConnection saves one.");
            var patterns = new List<(string Text, WildcardPattern Pattern, bool Found)>();
            foreach (var n in Name ?? Array.Empty<string>())
                patterns.Add((n, WildcardPattern.Get(n, WildcardOptions.IgnoreCase), false));
            foreach (var info in saved)
            {
                var wanted = patterns.Count == 0;
                for (var i = 0; i < patterns.Count; i++)
                {
                    if (!patterns[i].Pattern.IsMatch(info.Name)) continue;
                    wanted = true;
                    patterns[i] = (patterns[i].Text, patterns[i].Pattern, true);
                }
                if (wanted) WriteObject(info);
            }
            foreach (var p in patterns)
            {
                if (p.Found || WildcardPattern.ContainsWildcardCharacters(p.Text)) continue;
                WriteError(ErrorMap.Record(new LcException(LcErrorKind.InvalidInput, $"There is no saved connection named '{p.Text}' in '{store.Folder}'."),
                    "SavedConnectionNotFound", ErrorCategory.ObjectNotFound, p.Text));
            }
        }
    }
}
