using System;
using System.Threading.Tasks;

namespace LeadConnector.Engine
{
    /// <summary>
    /// Where a connection's bearer token comes from. The client asks for the token before each attempt, and on a 401
    /// asks once for a renewed one. Every secret the provider sees is registered with its <see cref="Redactor"/>, so no
    /// message, trace or error can carry it.
    /// </summary>
    internal abstract class TokenProvider
    {
        protected TokenProvider(Redactor redactor) => Redactor = redactor;

        public abstract TokenKind Kind { get; }

        /// <summary>A stable, non-reversible name for pacing keys: the same for every token the provider hands out.</summary>
        public abstract string Identity { get; }

        public Redactor Redactor { get; }

        /// <summary>When the current access token expires, when known.</summary>
        public virtual DateTimeOffset? ExpiresAt => null;

        /// <summary>When the access token was last obtained from a token endpoint.</summary>
        public virtual DateTimeOffset? RefreshedAt => null;

        /// <summary>True when a rejected (401) token can be renewed.</summary>
        public virtual bool CanRenew => false;

        /// <summary>The access token to send now (renewed first when it is about to expire).</summary>
        public abstract ValueTask<string> GetAsync(LcCall call);

        /// <summary>After a 401 for <paramref name="rejected"/>: renews it, unless another caller already has.</summary>
        public virtual Task RenewAsync(string rejected, LcCall call) => Task.CompletedTask;

        /// <summary>Never the token.</summary>
        public override string ToString() => "***";
    }
}
