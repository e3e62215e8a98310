using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace LeadConnector.Engine
{
    /// <summary>
    /// Saved connections (Save-LcConnection, Connect-Lc -Name): one JSON file per name in a folder of the current user
    /// ($LC_CONNECTION_HOME, else %LOCALAPPDATA%\LeadConnector\connections on Windows, ~/.leadconnector/connections
    /// elsewhere). A file holds the settings (base URI, location, API version, retries, timeout), the kind of token and
    /// the secret: encrypted with DPAPI for the current user on Windows; on other systems in the file itself, which only
    /// its owner may read (0600, in a 0700 folder), as the AWS and Azure CLIs keep theirs; or, with a vault, in
    /// SecretManagement, the file holding the secret's name only. Every write is crash-safe (a pending file, flushed,
    /// renamed over the old one), and takes the name's lock file, which renewals of a saved OAuth connection take too.
    /// </summary>
    internal sealed class SavedConnectionStore
    {
        /// <summary>The environment variable that overrides the folder.</summary>
        public const string FolderVariable = "LC_CONNECTION_HOME";
        public const string Dpapi = "DPAPI";
        public const string OwnerOnlyFile = "OwnerOnlyFile";
        public const string SecretManagement = "SecretManagement";
        private const int Format = 1;
        private const string Extension = ".json";
        private static readonly Regex NamePattern = new Regex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", RegexOptions.CultureInvariant);
        private static readonly TimeSpan SaveLockTimeout = TimeSpan.FromSeconds(120);

        public SavedConnectionStore(string folder)
        {
            if (string.IsNullOrWhiteSpace(folder)) throw LcException.InvalidInput("The saved connections folder is empty.");
            Folder = System.IO.Path.GetFullPath(folder);
        }

        /// <summary>The store in the current user's folder (or $LC_CONNECTION_HOME).</summary>
        public static SavedConnectionStore ForCurrentUser() => new SavedConnectionStore(DefaultFolder());

        public static string DefaultFolder()
        {
            var overridden = Environment.GetEnvironmentVariable(FolderVariable);
            if (!string.IsNullOrWhiteSpace(overridden)) return overridden!.Trim();
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
                return System.IO.Path.Combine(local, "LeadConnector", "connections");
            }
            var home = Environment.GetEnvironmentVariable("HOME");
            if (string.IsNullOrEmpty(home)) home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return System.IO.Path.Combine(home!, ".leadconnector", "connections");
        }

        public string Folder { get; }

        /// <summary>Refuses a name that is not 1 to 64 letters, digits, '.', '_' or '-' (starting with a letter or digit): a name becomes a file name.</summary>
        public static string CheckName(string? name)
        {
            var n = name?.Trim() ?? "";
            if (!NamePattern.IsMatch(n))
                throw LcException.InvalidInput($"The saved connection name '{name}' is not valid: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.");
            return n;
        }

        /// <summary>The file of a name (names are the same whatever their case, on every system).</summary>
        public string PathOf(string name) => System.IO.Path.Combine(Folder, CheckName(name).ToLowerInvariant() + Extension);

        private string LockPathOf(string name) => PathOf(name) + ".lock";

        /// <summary>The name of the SecretManagement secret that holds a saved connection's secret.</summary>
        public static string SecretNameOf(string name) => "LeadConnector-" + CheckName(name);

        public bool Exists(string name)
        {
            var path = PathOf(name);
            return File.Exists(path) || File.Exists(path + AtomicFile.PendingSuffix);
        }

        // ------------------------------------------------------------------ saving

        /// <summary>
        /// Saves <paramref name="connection"/> (settings and secret) under <paramref name="name"/>; into
        /// <paramref name="vault"/> through <paramref name="vaults"/> when a vault is named. An OAuth connection keeps its
        /// rotating refresh token in the saved connection from then on. Refuses a name that exists unless
        /// <paramref name="overwrite"/>.
        /// </summary>
        public async Task<SavedConnectionInfo> SaveAsync(string name, Connection connection, string? vault, ISecretVault? vaults, bool overwrite, LcCall call)
        {
            name = CheckName(name);
            if (vault != null && vaults == null) throw new ArgumentNullException(nameof(vaults));
            var settings = connection.Settings;
            switch (connection.Tokens)
            {
                case OAuthRefreshProvider oauth:
                    {
                        var keeper = new SavedRefreshTokens(this, name, vaults);
                        // The current refresh token is read and saved with no rotation in between, and the connection
                        // saves every later one here.
                        return await oauth.KeepInAsync(keeper, refresh => Save(name, "OAuth", connection.TokenKind, settings,
                            new SavedSecret { ClientId = oauth.ClientId, ClientSecret = oauth.ClientSecret, RefreshToken = refresh }, vault, vaults, overwrite), call).ConfigureAwait(false);
                    }
                case AgencyExchangeProvider agency:
                    return Save(name, "Agency", connection.TokenKind, settings,
                        new SavedSecret { AgencyToken = agency.AgencyToken.Reveal(), CompanyId = agency.CompanyId }, vault, vaults, overwrite);
                case StaticTokenProvider token:
                    return Save(name, "AccessToken", connection.TokenKind, settings, new SavedSecret { AccessToken = token.Token.Reveal() }, vault, vaults, overwrite);
                default:
                    throw LcException.InvalidInput("This connection's kind of token cannot be saved.");
            }
        }

        private SavedConnectionInfo Save(string name, string kind, TokenKind tokenKind, ConnectionSettings settings, SavedSecret secret,
            string? vault, ISecretVault? vaults, bool overwrite)
        {
            AtomicFile.EnsureOwnerOnlyFolder(Folder);
            using (FileLock.Acquire(LockPathOf(name), SaveLockTimeout, $"the saved connection '{name}'"))
            {
                var path = PathOf(name);
                if (!overwrite && Exists(name))
                    throw new LcException(LcErrorKind.InvalidInput, $"A saved connection named '{name}' exists already ('{path}'). Pass -Force to replace it, or choose another name.")
                    { Data = { [ExistsKey] = true } };
                var record = new Record
                {
                    Name = name,
                    Kind = kind,
                    TokenKind = tokenKind,
                    BaseUri = settings.BaseUri,
                    LocationId = settings.LocationId,
                    ApiVersion = settings.ApiVersion,
                    MaxRetries = settings.MaxRetries,
                    MaxRetryTimeSec = settings.MaxRetryTimeSec,
                    TimeoutSec = settings.TimeoutSec,
                    RetryDelaySec = settings.RetryBaseDelay.TotalSeconds,
                    RetryMaxDelaySec = settings.RetryMaxDelay.TotalSeconds,
                    SavedAt = DateTimeOffset.UtcNow,
                    Storage = vault != null ? SecretManagement : Engine.Dpapi.IsAvailable ? Dpapi : OwnerOnlyFile,
                    Vault = vault,
                    SecretName = vault != null ? SecretNameOf(name) : null,
                };
                Record? replaced = null;
                if (overwrite && Exists(name))
                {
                    try { replaced = Read(name); }
                    catch (LcException) { /* damaged: replaced whole */ }
                }
                // The secret first: a record never names a vault secret that was not written.
                WriteSecret(record, secret, vaults);
                Write(path, record);
                // A replaced connection's secret in another vault would be left behind, unnamed by any file.
                if (replaced != null && replaced.Storage == SecretManagement && vaults != null &&
                    !(record.Storage == SecretManagement && record.Vault == replaced.Vault && record.SecretName == replaced.SecretName))
                    vaults.Remove(replaced.SecretName!, replaced.Vault!);
                return record.Info(path);
            }
        }

        /// <summary>Marks the error of a name that exists already, so a host can name it apart.</summary>
        private const string ExistsKey = "LeadConnector.SavedConnectionExists";

        public static bool IsExists(LcException ex) => ex.Data.Contains(ExistsKey);

        /// <summary>Marks the error of a name that is not saved.</summary>
        private const string NotFoundKey = "LeadConnector.SavedConnectionNotFound";

        public static bool IsNotFound(LcException ex) => ex.Data.Contains(NotFoundKey);

        // ------------------------------------------------------------------ reading

        /// <summary>What Connect-Lc -Name connects with: the saved settings and secret, and for OAuth the saved connection as the refresh token's store.</summary>
        public ConnectionOptions Open(string name, ISecretVault? vaults, out SavedConnectionInfo info)
        {
            var path = PathOf(name);
            var record = Read(name);
            info = record.Info(path);
            var secret = ReadSecret(record, vaults);
            var options = new ConnectionOptions
            {
                BaseUri = record.BaseUri,
                LocationId = record.LocationId,
                ApiVersion = record.ApiVersion,
                MaxRetries = record.MaxRetries,
                MaxRetryTimeSec = record.MaxRetryTimeSec,
                TimeoutSec = record.TimeoutSec,
                RetryBaseDelay = TimeSpan.FromSeconds(record.RetryDelaySec),
                RetryMaxDelay = TimeSpan.FromSeconds(record.RetryMaxDelaySec),
            };
            switch (record.Kind)
            {
                case "OAuth":
                    options.ClientId = secret.ClientId;
                    options.ClientSecret = secret.ClientSecret;
                    // Read again under the lock when connecting: another process may rotate it before then.
                    options.TokenStore = new SavedRefreshTokens(this, record.Name, vaults);
                    break;
                case "Agency":
                    options.AgencyToken = secret.AgencyToken;
                    options.CompanyId = secret.CompanyId;
                    break;
                default:
                    options.AccessToken = secret.AccessToken;
                    break;
            }
            return options;
        }

        /// <summary>Every saved connection, by name; a file that cannot be read is passed to <paramref name="unreadable"/> (path, reason) and left out.</summary>
        public IReadOnlyList<SavedConnectionInfo> List(Action<string, string>? unreadable = null)
        {
            var result = new List<SavedConnectionInfo>();
            if (!Directory.Exists(Folder)) return result;
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var file in Directory.GetFiles(Folder, "*" + Extension + "*"))
            {
                var fileName = System.IO.Path.GetFileName(file);
                string stem;
                if (fileName.EndsWith(Extension, StringComparison.OrdinalIgnoreCase)) stem = fileName.Substring(0, fileName.Length - Extension.Length);
                else if (fileName.EndsWith(Extension + AtomicFile.PendingSuffix, StringComparison.OrdinalIgnoreCase)) stem = fileName.Substring(0, fileName.Length - Extension.Length - AtomicFile.PendingSuffix.Length);
                else continue;
                if (!NamePattern.IsMatch(stem) || !seen.Add(stem)) continue;
                try
                {
                    result.Add(ReadQuietly(stem).Info(PathOf(stem)));
                }
                catch (Exception ex) when (ex is LcException || RefreshTokenStore.IsFileError(ex))
                {
                    unreadable?.Invoke(file, ex.Message);
                }
            }
            result.Sort((a, b) => string.Compare(a.Name, b.Name, StringComparison.OrdinalIgnoreCase));
            return result;
        }

        /// <summary>Removes a saved connection: its file and, when it is kept in a vault, its secret there.</summary>
        public SavedConnectionInfo Remove(string name, ISecretVault? vaults)
        {
            name = CheckName(name);
            var path = PathOf(name);
            SavedConnectionInfo info;
            using (FileLock.Acquire(LockPathOf(name), SaveLockTimeout, $"the saved connection '{name}'"))
            {
                var record = Read(name);
                info = record.Info(path);
                if (record.Storage == SecretManagement)
                {
                    if (vaults == null) throw new ArgumentNullException(nameof(vaults));
                    vaults.Remove(record.SecretName!, record.Vault!);
                }
                File.Delete(path + AtomicFile.PendingSuffix);
                File.Delete(path);
            }
            // The lock file last, once no one holds it (a renewal that waits for it finds no saved connection then).
            try { File.Delete(LockPathOf(name)); }
            catch (Exception ex) when (RefreshTokenStore.IsFileError(ex)) { }
            return info;
        }

        /// <summary>The record of a name, finishing a save a crash interrupted (the pending file wins when it is whole).</summary>
        private Record Read(string name)
        {
            var path = PathOf(name);
            var pending = path + AtomicFile.PendingSuffix;
            if (File.Exists(pending))
            {
                Record? fromPending = null;
                try { fromPending = Parse(File.ReadAllBytes(pending), pending); }
                catch (LcException) { /* half written: the file before it stands */ }
                if (fromPending != null)
                {
                    AtomicFile.Commit(pending, path);
                    return fromPending;
                }
            }
            if (!File.Exists(path))
                throw new LcException(LcErrorKind.InvalidInput,
                    $"There is no saved connection named '{name}' in '{Folder}'. Get-LcConnection -ListAvailable lists the saved ones; Save-LcConnection saves one.")
                { Data = { [NotFoundKey] = true } };
            return Parse(File.ReadAllBytes(path), path);
        }

        /// <summary><see cref="Read"/> without finishing an interrupted save (listing changes nothing).</summary>
        private Record ReadQuietly(string stem)
        {
            var path = System.IO.Path.Combine(Folder, stem + Extension);
            var pending = path + AtomicFile.PendingSuffix;
            if (File.Exists(pending))
            {
                try { return Parse(File.ReadAllBytes(pending), pending); }
                catch (LcException) when (File.Exists(path)) { }
            }
            return Parse(File.ReadAllBytes(path), path);
        }

        // ------------------------------------------------------------------ the secret

        private static SavedSecret ReadSecret(Record record, ISecretVault? vaults)
        {
            switch (record.Storage)
            {
                case SecretManagement:
                    {
                        if (vaults == null) throw new ArgumentNullException(nameof(vaults));
                        var text = vaults.Get(record.SecretName!, record.Vault!);
                        if (string.IsNullOrEmpty(text))
                            throw LcException.InvalidInput($"The secret '{record.SecretName}' of the saved connection '{record.Name}' is not in vault '{record.Vault}' any more. Save the connection again.");
                        return SavedSecret.Parse(Encoding.UTF8.GetBytes(text), $"the secret '{record.SecretName}' in vault '{record.Vault}'");
                    }
                case Dpapi:
                    {
                        if (!Engine.Dpapi.IsAvailable)
                            throw LcException.InvalidInput($"The saved connection '{record.Name}' was encrypted with Windows DPAPI, which only the same Windows user can decrypt: save it again on this system.");
                        byte[] plain;
                        try
                        {
                            plain = Engine.Dpapi.Unprotect(Convert.FromBase64String(record.ProtectedSecret ?? ""));
                        }
                        catch (Exception ex) when (ex is FormatException || ex is System.ComponentModel.Win32Exception)
                        {
                            throw new LcException(LcErrorKind.InvalidInput,
                                $"The secret of the saved connection '{record.Name}' could not be decrypted ({ex.Message}): DPAPI decrypts only for the Windows user (on the machine) that saved it. Save it again as this user.", ex);
                        }
                        try { return SavedSecret.Parse(plain, $"the saved connection '{record.Name}'"); }
                        finally { Array.Clear(plain, 0, plain.Length); }
                    }
                case OwnerOnlyFile:
                    return record.PlainSecret ?? throw LcException.InvalidInput($"The saved connection '{record.Name}' holds no secret. Save it again.");
                default:
                    throw LcException.InvalidInput($"The saved connection '{record.Name}' keeps its secret in '{record.Storage}', which this version does not know.");
            }
        }

        /// <summary>Puts the secret where the record says: into the vault, or into the record (encrypted with DPAPI, or as is in an owner-only file).</summary>
        private static void WriteSecret(Record record, SavedSecret secret, ISecretVault? vaults)
        {
            record.ProtectedSecret = null;
            record.PlainSecret = null;
            switch (record.Storage)
            {
                case SecretManagement:
                    vaults!.Set(record.SecretName!, record.Vault!, Encoding.UTF8.GetString(secret.ToJson()));
                    break;
                case Dpapi:
                    {
                        var plain = secret.ToJson();
                        try { record.ProtectedSecret = Convert.ToBase64String(Engine.Dpapi.Protect(plain)); }
                        finally { Array.Clear(plain, 0, plain.Length); }
                        break;
                    }
                default:
                    record.PlainSecret = secret;
                    break;
            }
        }

        /// <summary>The saved connection as the store of an OAuth connection's rotating refresh token.</summary>
        private sealed class SavedRefreshTokens : IRefreshTokenStore
        {
            private readonly SavedConnectionStore _owner;
            private readonly string _name;
            private readonly ISecretVault? _vaults;

            public SavedRefreshTokens(SavedConnectionStore owner, string name, ISecretVault? vaults)
            {
                _owner = owner;
                _name = name;
                _vaults = vaults;
            }

            public string Description => $"the saved connection '{_name}' ('{_owner.PathOf(_name)}')";

            public string? Load() => ReadSecret(_owner.Read(_name), _vaults).RefreshToken;

            /// <summary>Called under the lock (a renewal, or the first connect): rewrites the secret with the new refresh token.</summary>
            public void Save(string refreshToken)
            {
                var path = _owner.PathOf(_name);
                var record = _owner.Read(_name);
                var secret = ReadSecret(record, _vaults);
                secret.RefreshToken = refreshToken;
                record.RotatedAt = DateTimeOffset.UtcNow;
                WriteSecret(record, secret, _vaults);
                Write(path, record);
            }

            public string? Recovery(string refreshToken)
            {
                var pending = _owner.PathOf(_name) + AtomicFile.PendingSuffix;
                try
                {
                    if (!File.Exists(pending)) return null;
                    var record = Parse(File.ReadAllBytes(pending), pending);
                    if (record.Storage == SecretManagement || ReadSecret(record, _vaults).RefreshToken != refreshToken) return null;
                    return $"The new one is kept in this session and in '{pending}', which Connect-Lc -Name {_name} reads first. ";
                }
                catch (Exception)
                {
                    return null;
                }
            }

            public async Task<IDisposable> LockAsync(TimeSpan timeout, CancellationToken cancellation) =>
                await FileLock.AcquireAsync(_owner.LockPathOf(_name), timeout, Description, cancellation).ConfigureAwait(false);
        }

        // ------------------------------------------------------------------ the file

        private sealed class Record
        {
            public string Name = "";
            public string Kind = "";
            public TokenKind TokenKind;
            public Uri? BaseUri;
            public string? LocationId;
            public string? ApiVersion;
            public int MaxRetries;
            public int MaxRetryTimeSec;
            public int TimeoutSec;
            public double RetryDelaySec;
            public double RetryMaxDelaySec;
            public DateTimeOffset SavedAt;
            public DateTimeOffset? RotatedAt;
            public string Storage = "";
            public string? Vault;
            public string? SecretName;
            public string? ProtectedSecret;
            public SavedSecret? PlainSecret;

            public SavedConnectionInfo Info(string path) => new SavedConnectionInfo(Name, path)
            {
                Kind = Kind,
                TokenKind = TokenKind,
                LocationId = LocationId,
                BaseUri = BaseUri,
                ApiVersion = ApiVersion,
                MaxRetries = MaxRetries,
                MaxRetryTimeSec = MaxRetryTimeSec,
                RetryDelaySec = RetryDelaySec,
                TimeoutSec = TimeoutSec,
                Storage = Storage,
                Vault = Vault,
                SecretName = SecretName,
                SavedAt = SavedAt,
            };
        }

        private static void Write(string path, Record r)
        {
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                w.WriteStartObject();
                w.WriteNumber("format", Format);
                w.WriteString("name", r.Name);
                w.WriteString("kind", r.Kind);
                w.WriteString("tokenKind", r.TokenKind.ToString());
                w.WriteString("baseUri", r.BaseUri?.ToString());
                if (r.LocationId != null) w.WriteString("locationId", r.LocationId);
                else w.WriteNull("locationId");
                w.WriteString("apiVersion", r.ApiVersion);
                w.WriteNumber("maxRetries", r.MaxRetries);
                w.WriteNumber("maxRetryTimeSec", r.MaxRetryTimeSec);
                w.WriteNumber("retryDelaySec", r.RetryDelaySec);
                w.WriteNumber("retryMaxDelaySec", r.RetryMaxDelaySec);
                w.WriteNumber("timeoutSec", r.TimeoutSec);
                w.WriteString("savedAt", r.SavedAt.ToString("o", CultureInfo.InvariantCulture));
                if (r.RotatedAt is DateTimeOffset rotated) w.WriteString("rotatedAt", rotated.ToString("o", CultureInfo.InvariantCulture));
                w.WriteString("storage", r.Storage);
                if (r.Vault != null) w.WriteString("vault", r.Vault);
                if (r.SecretName != null) w.WriteString("secretName", r.SecretName);
                if (r.ProtectedSecret != null) w.WriteString("secret", r.ProtectedSecret);
                if (r.PlainSecret != null)
                {
                    w.WritePropertyName("secret");
                    r.PlainSecret.WriteTo(w);
                }
                w.WriteEndObject();
            }
            AtomicFile.Write(path, buffer.ToArray());
        }

        private static Record Parse(byte[] bytes, string path)
        {
            try
            {
                using var doc = JsonDocument.Parse(bytes);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object) throw new JsonException("not an object");
                var format = Int(root, "format");
                if (format != Format)
                    throw LcException.InvalidInput($"The saved connection file '{path}' has format {format}, which this version of the module does not read.");
                var r = new Record
                {
                    Name = Str(root, "name") ?? throw new JsonException("no name"),
                    Kind = Str(root, "kind") ?? "AccessToken",
                    TokenKind = Enum.TryParse<TokenKind>(Str(root, "tokenKind"), out var tk) ? tk : TokenKind.Unknown,
                    BaseUri = Str(root, "baseUri") is string b ? new Uri(b) : null,
                    LocationId = Str(root, "locationId"),
                    ApiVersion = Str(root, "apiVersion"),
                    MaxRetries = Int(root, "maxRetries"),
                    MaxRetryTimeSec = Int(root, "maxRetryTimeSec"),
                    TimeoutSec = Int(root, "timeoutSec"),
                    RetryDelaySec = Dbl(root, "retryDelaySec"),
                    RetryMaxDelaySec = Dbl(root, "retryMaxDelaySec"),
                    SavedAt = Str(root, "savedAt") is string s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) : default,
                    RotatedAt = Str(root, "rotatedAt") is string ra ? DateTimeOffset.Parse(ra, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) : (DateTimeOffset?)null,
                    Storage = Str(root, "storage") ?? "",
                    Vault = Str(root, "vault"),
                    SecretName = Str(root, "secretName"),
                };
                if (root.TryGetProperty("secret", out var secret))
                {
                    if (secret.ValueKind == JsonValueKind.String) r.ProtectedSecret = secret.GetString();
                    else if (secret.ValueKind == JsonValueKind.Object) r.PlainSecret = SavedSecret.From(secret);
                }
                if (r.Storage == SecretManagement && (string.IsNullOrEmpty(r.Vault) || string.IsNullOrEmpty(r.SecretName)))
                    throw new JsonException("a vault secret without its vault or name");
                return r;
            }
            catch (Exception ex) when (ex is JsonException || ex is FormatException || ex is InvalidOperationException || ex is UriFormatException)
            {
                // Never the file's text: it may hold a secret.
                throw new LcException(LcErrorKind.InvalidInput, $"The saved connection file '{path}' is damaged ({ex.GetType().Name}). Remove it and save the connection again.");
            }
        }

        private static string? Str(JsonElement o, string name) =>
            o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        private static int Int(JsonElement o, string name) =>
            o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : 0;

        private static double Dbl(JsonElement o, string name) =>
            o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0;

        /// <summary>The secret of a saved connection: a token, OAuth's client and refresh token, or an agency's token and company.</summary>
        private sealed class SavedSecret
        {
            public string? AccessToken;
            public string? ClientId;
            public string? ClientSecret;
            public string? RefreshToken;
            public string? AgencyToken;
            public string? CompanyId;

            public void WriteTo(Utf8JsonWriter w)
            {
                w.WriteStartObject();
                void Field(string name, string? value) { if (value != null) w.WriteString(name, value); }
                Field("accessToken", AccessToken);
                Field("clientId", ClientId);
                Field("clientSecret", ClientSecret);
                Field("refreshToken", RefreshToken);
                Field("agencyToken", AgencyToken);
                Field("companyId", CompanyId);
                w.WriteEndObject();
            }

            public byte[] ToJson()
            {
                using var buffer = new MemoryStream();
                using (var w = new Utf8JsonWriter(buffer)) WriteTo(w);
                return buffer.ToArray();
            }

            public static SavedSecret From(JsonElement o) => new SavedSecret
            {
                AccessToken = Str(o, "accessToken"),
                ClientId = Str(o, "clientId"),
                ClientSecret = Str(o, "clientSecret"),
                RefreshToken = Str(o, "refreshToken"),
                AgencyToken = Str(o, "agencyToken"),
                CompanyId = Str(o, "companyId"),
            };

            public static SavedSecret Parse(byte[] json, string what)
            {
                try
                {
                    using var doc = JsonDocument.Parse(json);
                    if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException("not an object");
                    return From(doc.RootElement);
                }
                catch (JsonException)
                {
                    throw LcException.InvalidInput($"The secret of {what} is not what Save-LcConnection writes. Save the connection again.");
                }
            }
        }
    }
}
