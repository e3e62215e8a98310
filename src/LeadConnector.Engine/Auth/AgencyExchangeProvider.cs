using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;

namespace LeadConnector.Engine
{
    /// <summary>
    /// A location token obtained from an agency (company) token at POST /oauth/locationToken, and obtained again when
    /// it nears expiry.
    /// </summary>
    internal sealed class AgencyExchangeProvider : RenewingTokenProvider
    {
        internal const string TokenPath = "oauth/locationToken";

        private readonly AccessToken _agencyToken;
        private readonly string _companyId;
        private readonly string _locationId;

        public AgencyExchangeProvider(AccessToken agencyToken, string companyId, string locationId,
            ConnectionSettings settings, RestTransport transport, TimeProvider time)
            : base(new Redactor(agencyToken.Reveal()), settings, transport, time)
        {
            _agencyToken = agencyToken;
            _companyId = companyId;
            _locationId = locationId;
            Identity = "agency-" + agencyToken.Fingerprint + "-" + locationId;
        }

        internal AccessToken AgencyToken => _agencyToken;
        internal string CompanyId => _companyId;

        public override TokenKind Kind => TokenKind.AgencyExchange;
        public override string Identity { get; }

        protected override async Task<TokenGrant> ObtainAsync(LcClient client, LcCall call)
        {
            var form = new List<KeyValuePair<string, string>>
            {
                new KeyValuePair<string, string>("companyId", _companyId),
                new KeyValuePair<string, string>("locationId", _locationId),
            };
            TokenGrant grant;
            try
            {
                grant = await client.SendTokenRequestAsync(TokenPath, form, _agencyToken.Reveal(), call).ConfigureAwait(false);
            }
            catch (LcException ex) when (ex.StatusCode == 400 || ex.StatusCode == 401 || ex.StatusCode == 403)
            {
                throw new LcException(LcErrorKind.Unauthorized,
                    $"The agency token could not be exchanged for a token of location {_locationId}: {ex.Message} Check the agency token, -CompanyId and -LocationId.",
                    ex, ex.StatusCode, ex.Messages, ex.TraceId, ex.Method, ex.Path);
            }
            return grant;
        }
    }
}
