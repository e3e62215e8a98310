using System;
using System.Threading;

namespace LeadConnector.Engine
{
    /// <summary>
    /// Removes every secret of a connection from any text that leaves the engine, even text a server echoed back:
    /// the access token, and for OAuth connections also the client secret, each refresh token and each access token
    /// the connection has held. Secrets are added as they arrive; the set only grows.
    /// </summary>
    internal sealed class Redactor
    {
        private string[] _secrets;
        private readonly object _sync = new object();

        public Redactor(params string?[] secrets)
        {
            _secrets = Array.Empty<string>();
            foreach (var s in secrets) Add(s);
        }

        /// <summary>Adds a secret (ignored when empty or already known).</summary>
        public void Add(string? secret)
        {
            if (string.IsNullOrEmpty(secret)) return;
            lock (_sync)
            {
                if (Array.IndexOf(_secrets, secret) >= 0) return;
                var next = new string[_secrets.Length + 1];
                Array.Copy(_secrets, next, _secrets.Length);
                next[_secrets.Length] = secret!;
                // Longest first, so a secret that contains another is masked whole.
                Array.Sort(next, (a, b) => b.Length.CompareTo(a.Length));
                Volatile.Write(ref _secrets, next);
            }
        }

        public string Apply(string text)
        {
            var secrets = Volatile.Read(ref _secrets);
            foreach (var secret in secrets)
                if (text.IndexOf(secret, StringComparison.Ordinal) >= 0) text = text.Replace(secret, "***");
            return text;
        }
    }
}
