using System;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>
    /// A saved connection as Get-LcConnection -ListAvailable shows it: its name, settings and where its secret is kept.
    /// Never the secret itself.
    /// </summary>
    public sealed class SavedConnectionInfo
    {
        internal SavedConnectionInfo(string name, string path) { Name = name; Path = path; }

        /// <summary>The name to connect with: Connect-Lc -Name.</summary>
        public string Name { get; }
        /// <summary>AccessToken, OAuth (client id, secret and rotating refresh token) or Agency (agency token and company).</summary>
        public string Kind { get; internal set; } = "";
        public TokenKind TokenKind { get; internal set; }
        public string? LocationId { get; internal set; }
        public Uri? BaseUri { get; internal set; }
        public string? ApiVersion { get; internal set; }
        public int MaxRetries { get; internal set; }
        public int MaxRetryTimeSec { get; internal set; }
        public double RetryDelaySec { get; internal set; }
        public int TimeoutSec { get; internal set; }
        /// <summary>
        /// Where the secret is: DPAPI (encrypted for the current Windows user), OwnerOnlyFile (in the file, readable by its
        /// owner alone: 0600 in a 0700 folder), or SecretManagement (in <see cref="Vault"/>; the file holds its name only).
        /// </summary>
        public string Storage { get; internal set; } = "";
        /// <summary>The SecretManagement vault, when <see cref="Storage"/> is SecretManagement.</summary>
        public string? Vault { get; internal set; }
        /// <summary>The secret's name in <see cref="Vault"/>.</summary>
        public string? SecretName { get; internal set; }
        /// <summary>The file that holds the saved connection.</summary>
        public string Path { get; }
        public DateTimeOffset SavedAt { get; internal set; }

        public override string ToString() => Name;
    }
}
