using System;
using System.Management.Automation;
using LeadConnector.Engine;

namespace LeadConnector.Commands
{
    /// <summary>
    /// Save-LcConnection: saves a connection (the current one unless -Connection) under a name, for Connect-Lc -Name in
    /// later sessions: its settings, the kind of token and the secret, per user. The secret is encrypted with DPAPI on
    /// Windows, kept in a file only its owner may read elsewhere, or kept in a SecretManagement vault (-Vault). A saved
    /// OAuth connection keeps its rotating refresh token up to date from then on.
    /// </summary>
    [Cmdlet(VerbsData.Save, "LcConnection", SupportsShouldProcess = true)]
    [OutputType(typeof(SavedConnectionInfo))]
    public sealed class SaveLcConnectionCommand : LcConnectedCmdlet
    {
        /// <summary>The name to save under (letters, digits, '.', '_' and '-'; any case: names are not case-sensitive).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidatePattern(SavedConnections.NamePattern)]
        public string Name { get; set; } = "";

        /// <summary>A SecretManagement vault to keep the secret in; the file then holds only the secret's name.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Vault { get; set; }

        /// <summary>Replaces a saved connection of the same name.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Writes the saved connection's description (never its secret) to the output.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void Process()
        {
            // -Connection (LcConnectedCmdlet), else the current connection: the one to save.
            var connection = Session;
            var store = SavedConnectionStore.ForCurrentUser();
            var name = Name;
            var path = store.PathOf(name);
            var exists = store.Exists(name);
            if (exists && !Force.IsPresent)
            {
                WriteError(ErrorMap.Record(new LcException(LcErrorKind.InvalidInput, $"A saved connection named '{name}' exists already ('{path}'). Pass -Force to replace it, or choose another name."),
                    "SavedConnectionExists", ErrorCategory.ResourceExists, name));
                return;
            }
            var where = Vault == null ? path : $"{path}, secret in vault '{Vault}'";
            if (!ShouldProcess($"saved connection '{name}' ({where})", exists ? "Replace saved connection" : "Save connection")) return;

            var vault = Vault;
            var vaults = vault == null ? null : new PowerShellSecretVault();
            SavedConnectionInfo info;
            try
            {
                info = Await(call => store.SaveAsync(name, connection, vault, vaults, Force.IsPresent, call));
            }
            catch (LcException ex) when (ex.Kind != LcErrorKind.Cancelled)
            {
                ThrowTerminatingError(SavedConnections.ToRecord(ex, name));
                return;
            }
            catch (Exception ex) when (RefreshTokenStore.IsFileError(ex))
            {
                ThrowTerminatingError(SavedConnections.FileError(ex, name, "saved"));
                return;
            }
            WriteVerbose($"Saved the connection as '{info.Name}' in '{info.Path}'; its secret is kept in {SavedConnections.Where(info)}." +
                (info.Kind == "OAuth" ? " Each rotated refresh token is saved there too." : "") + $" Connect with: Connect-Lc -Name {info.Name}");
            if (PassThru.IsPresent) WriteObject(info);
        }
    }
}
