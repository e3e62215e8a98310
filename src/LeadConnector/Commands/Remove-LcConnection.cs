using System;
using System.Management.Automation;
using LeadConnector.Engine;

namespace LeadConnector.Commands
{
    /// <summary>
    /// Remove-LcConnection: removes saved connections (Save-LcConnection): the file and, for one kept in a vault, its
    /// secret there. Connections already made from them keep working in their session. Asks first unless -Force.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "LcConnection", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveLcConnectionCommand : LcCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidatePattern(SavedConnections.NamePattern)]
        [ArgumentCompleter(typeof(SavedConnectionNameCompleter))]
        public string[] Name { get; set; } = Array.Empty<string>();

        /// <summary>Removes without asking (-WhatIf and an explicit -Confirm still apply).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        private SavedConnectionStore? _store;
        private PowerShellSecretVault? _vaults;

        protected override void Process()
        {
            var store = _store ??= SavedConnectionStore.ForCurrentUser();
            foreach (var name in Name)
            {
                if (!store.Exists(name))
                {
                    WriteError(ErrorMap.Record(new LcException(LcErrorKind.InvalidInput,
                        $"There is no saved connection named '{name}' in '{store.Folder}'. Get-LcConnection -ListAvailable lists the saved ones."),
                        "SavedConnectionNotFound", ErrorCategory.ObjectNotFound, name));
                    continue;
                }
                if (!ShouldProcessOrForce($"saved connection '{name}' ({store.PathOf(name)})", "Remove saved connection", Force.IsPresent)) continue;
                try
                {
                    var info = store.Remove(name, _vaults ??= new PowerShellSecretVault());
                    WriteVerbose($"Removed the saved connection '{info.Name}' ('{info.Path}')" +
                        (info.Storage == SavedConnectionStore.SecretManagement ? $" and its secret '{info.SecretName}' in vault '{info.Vault}'." : "."));
                }
                catch (LcException ex) when (ex.Kind != LcErrorKind.Cancelled)
                {
                    WriteError(SavedConnections.ToRecord(ex, name));
                }
                catch (Exception ex) when (RefreshTokenStore.IsFileError(ex))
                {
                    WriteError(SavedConnections.FileError(ex, name, "removed"));
                }
            }
        }
    }
}
