using System;
using System.Threading.Tasks;

namespace LeadConnector.Engine
{
    /// <summary>A token that never changes: a Private Integration Token, or an access token given as is.</summary>
    internal sealed class StaticTokenProvider : TokenProvider
    {
        private readonly AccessToken _token;

        public StaticTokenProvider(AccessToken token) : base(new Redactor(token.Reveal())) => _token = token;

        internal AccessToken Token => _token;

        public override TokenKind Kind => _token.Kind;
        public override string Identity => _token.Fingerprint;
        public override ValueTask<string> GetAsync(LcCall call) => new ValueTask<string>(_token.Reveal());
    }
}
