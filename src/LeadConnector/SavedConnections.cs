using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;
using LeadConnector.Engine;

namespace LeadConnector.Commands
{
    /// <summary>
    /// The PowerShell side of saved connections (Save-LcConnection, Connect-Lc -Name, Get-LcConnection -ListAvailable,
    /// Remove-LcConnection): the error each failure becomes, and what Connect-Lc -Name connects with. The store itself is
    /// the engine's <see cref="SavedConnectionStore"/>.
    /// </summary>
    internal static class SavedConnections
    {
        /// <summary>The pattern of a name (the engine checks it too).</summary>
        public const string NamePattern = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$";

        /// <summary>
        /// The options of the saved connection <paramref name="name"/>, with the settings given on Connect-Lc's command
        /// line (<paramref name="given"/>: -BaseUri, -ApiVersion, -MaxRetries, -MaxRetryTimeSec, -RetryDelaySec,
        /// -TimeoutSec) in place of the saved ones. Stops the command with the matching error when it cannot be read.
        /// </summary>
        public static ConnectionOptions Open(LcCmdlet cmdlet, string name, ConnectionOptions given)
        {
            var store = SavedConnectionStore.ForCurrentUser();
            ConnectionOptions options;
            SavedConnectionInfo info;
            try
            {
                options = store.Open(name, new PowerShellSecretVault(), out info);
            }
            catch (LcException ex)
            {
                cmdlet.ThrowTerminatingError(ToRecord(ex, name));
                throw; // not reached
            }
            catch (Exception ex) when (RefreshTokenStore.IsFileError(ex))
            {
                cmdlet.ThrowTerminatingError(FileError(ex, name, "read"));
                throw;
            }
            var bound = cmdlet.MyInvocation.BoundParameters;
            if (bound.ContainsKey("BaseUri")) options.BaseUri = given.BaseUri;
            if (bound.ContainsKey("ApiVersion")) options.ApiVersion = given.ApiVersion;
            if (bound.ContainsKey("MaxRetries")) options.MaxRetries = given.MaxRetries;
            if (bound.ContainsKey("MaxRetryTimeSec")) options.MaxRetryTimeSec = given.MaxRetryTimeSec;
            if (bound.ContainsKey("TimeoutSec")) options.TimeoutSec = given.TimeoutSec;
            if (bound.ContainsKey("RetryDelaySec"))
            {
                options.RetryBaseDelay = given.RetryBaseDelay;
                options.RetryMaxDelay = given.RetryMaxDelay;
            }
            cmdlet.WriteVerbose($"Using the saved connection '{info.Name}' ({info.Kind}, secret kept in {Where(info)}; '{info.Path}').");
            return options;
        }

        /// <summary>Where a saved connection's secret is, in words.</summary>
        public static string Where(SavedConnectionInfo info) => info.Storage switch
        {
            SavedConnectionStore.Dpapi => "the file, encrypted with DPAPI for this Windows user",
            SavedConnectionStore.OwnerOnlyFile => "the file, readable by its owner alone",
            SavedConnectionStore.SecretManagement => $"SecretManagement vault '{info.Vault}' as '{info.SecretName}'",
            _ => info.Storage,
        };

        /// <summary>True for the errors of a saved connection or its vault, which <see cref="ToRecord"/> names apart.</summary>
        public static bool IsSavedConnectionError(LcException ex) =>
            SavedConnectionStore.IsExists(ex) || SavedConnectionStore.IsNotFound(ex) || ex.Data.Contains(PowerShellSecretVault.ErrorIdKey);

        /// <summary>The ErrorRecord of a saved connection's failure: each its own id and category.</summary>
        public static ErrorRecord ToRecord(LcException ex, object? target)
        {
            if (SavedConnectionStore.IsNotFound(ex)) return ErrorMap.Record(ex, "SavedConnectionNotFound", ErrorCategory.ObjectNotFound, target, "Get-LcConnection -ListAvailable lists the saved connections.");
            if (SavedConnectionStore.IsExists(ex)) return ErrorMap.Record(ex, "SavedConnectionExists", ErrorCategory.ResourceExists, target);
            if (ex.Data[PowerShellSecretVault.ErrorIdKey] is string id)
                return ErrorMap.Record(ex, id, id == PowerShellSecretVault.NotAvailable ? ErrorCategory.NotInstalled : ErrorCategory.ResourceUnavailable, target);
            if (ex.Kind == LcErrorKind.InvalidInput) return ErrorMap.Record(ex, "SavedConnectionUnusable", ErrorCategory.InvalidData, target);
            return ErrorMap.ToErrorRecord(ex, target);
        }

        /// <summary>A file error of the saved connections folder.</summary>
        public static ErrorRecord FileError(Exception ex, string name, string doing) =>
            ErrorMap.Record(new LcException(LcErrorKind.InvalidInput,
                $"The saved connection '{name}' could not be {doing} in '{SavedConnectionStore.DefaultFolder()}' ({ex.GetType().Name}: {ex.Message}).", ex),
                doing == "read" ? "SavedConnectionReadError" : "SavedConnectionWriteError", doing == "read" ? ErrorCategory.ReadError : ErrorCategory.WriteError, name);
    }

    /// <summary>
    /// SecretManagement (Get-Secret, Set-Secret, Remove-Secret) for saved connections kept in a vault. It runs in a
    /// runspace of its own, made on first use: a rotated refresh token is saved from a worker thread, in the middle of a
    /// pipeline, where the caller's runspace cannot run commands. Vaults are registered per user, so the same ones are
    /// seen there.
    /// </summary>
    internal sealed class PowerShellSecretVault : ISecretVault
    {
        internal const string ErrorIdKey = "LeadConnector.SecretVaultErrorId";
        internal const string NotAvailable = "SecretManagementNotAvailable";
        internal const string VaultFailed = "SecretVaultError";
        private readonly object _gate = new object();
        private Runspace? _runspace;

        public string? Get(string secretName, string vault)
        {
            var result = Invoke("param($n, $v) Get-Secret -Name $n -Vault $v -AsPlainText -ErrorAction Stop", $"read the secret '{secretName}' from vault '{vault}'", secretName, vault);
            var value = result.Count == 0 ? null : result[result.Count - 1]?.BaseObject;
            return value switch
            {
                string text => text,
                SecureString secure => new System.Net.NetworkCredential("", secure).Password,
                _ => null,
            };
        }

        public void Set(string secretName, string vault, string value) =>
            Invoke("param($n, $v, $s) Set-Secret -Name $n -Vault $v -Secret $s -ErrorAction Stop", $"write the secret '{secretName}' to vault '{vault}'", secretName, vault, value);

        public void Remove(string secretName, string vault) =>
            Invoke("param($n, $v) Remove-Secret -Name $n -Vault $v -ErrorAction Stop", $"remove the secret '{secretName}' from vault '{vault}'", secretName, vault);

        private Collection<PSObject> Invoke(string script, string doing, params object[] args)
        {
            lock (_gate)
            {
                var runspace = _runspace ??= Open();
                using var ps = PowerShell.Create();
                ps.Runspace = runspace;
                ps.AddScript(script);
                foreach (var a in args) ps.AddArgument(a);
                try
                {
                    var result = ps.Invoke();
                    if (ps.HadErrors && ps.Streams.Error.Count > 0) throw Failed(doing, ps.Streams.Error[0].ToString(), null);
                    return result;
                }
                catch (RuntimeException ex)
                {
                    throw Failed(doing, ex.Message, ex);
                }
            }
        }

        private static LcException Failed(string doing, string reason, Exception? inner)
        {
            var ex = new LcException(LcErrorKind.InvalidInput, $"SecretManagement could not {doing}: {reason}", inner);
            ex.Data[ErrorIdKey] = VaultFailed;
            return ex;
        }

        private static Runspace Open()
        {
            var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            runspace.Open();
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddScript("@(Get-Command -Name Get-Secret, Set-Secret, Remove-Secret -ErrorAction Ignore).Count");
            var found = ps.Invoke();
            if (found.Count == 0 || !(found[0]?.BaseObject is int count) || count < 3)
            {
                runspace.Dispose();
                var ex = new LcException(LcErrorKind.InvalidInput,
                    "Saved connections kept in a vault need the Microsoft.PowerShell.SecretManagement module (Get-Secret, Set-Secret, Remove-Secret), which is not installed or not importable. " +
                    "Install it with: Install-PSResource Microsoft.PowerShell.SecretManagement (and a vault, e.g. Microsoft.PowerShell.SecretStore), or save the connection without -Vault.");
                ex.Data[ErrorIdKey] = NotAvailable;
                throw ex;
            }
            return runspace;
        }
    }

    /// <summary>Completes a saved connection's name (Connect-Lc -Name, Remove-LcConnection -Name).</summary>
    public sealed class SavedConnectionNameCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values()
        {
            try
            {
                return SavedConnectionStore.ForCurrentUser().List().Select(i => i.Name).ToList();
            }
            catch (Exception)
            {
                return Array.Empty<string>();
            }
        }
    }
}
