using System;
using System.Collections.Generic;
using System.Security.Authentication;
using LeadConnector.Engine;
using Xunit;

namespace LeadConnector.Tests.Engine
{
    /// <summary>
    /// The TLS choice on .NET Framework (RestTransport.SetModernTls), driven by a stand-in for HttpClientHandler's setter that
    /// behaves like each runtime: 4.8 takes TLS 1.3, 4.7.1/4.7.2 throw NotSupportedException for it, and a runtime that
    /// lets no protocol be chosen throws PlatformNotSupportedException.
    /// </summary>
    public class TlsTests
    {
        private static (SslProtocols? Result, List<SslProtocols> Tried) Run(Func<SslProtocols, Exception?> runtime)
        {
            var tried = new List<SslProtocols>();
            var result = RestTransport.SetModernTls(p =>
            {
                tried.Add(p);
                var error = runtime(p);
                if (error != null) throw error;
            });
            return (result, tried);
        }

        [Fact]
        public void A_runtime_that_knows_TLS_1_3_gets_TLS_1_2_and_1_3()
        {
            var (result, tried) = Run(_ => null);
            Assert.Equal(SslProtocols.Tls12 | RestTransport.Tls13, result);
            Assert.Single(tried);
        }

        [Fact]
        public void A_runtime_that_predates_TLS_1_3_falls_back_to_TLS_1_2_instead_of_failing()
        {
            var (result, tried) = Run(p => (p & RestTransport.Tls13) != 0 ? new NotSupportedException("The requested security protocol is not supported.") : null);
            Assert.Equal(SslProtocols.Tls12, result);
            Assert.Equal(new[] { SslProtocols.Tls12 | RestTransport.Tls13, SslProtocols.Tls12 }, tried);
        }

        [Fact]
        public void A_runtime_that_rejects_the_value_as_an_argument_also_falls_back()
        {
            var (result, _) = Run(p => (p & RestTransport.Tls13) != 0 ? new ArgumentOutOfRangeException("value") : null);
            Assert.Equal(SslProtocols.Tls12, result);
        }

        [Fact]
        public void A_runtime_that_lets_no_protocol_be_chosen_keeps_its_defaults()
        {
            var (result, tried) = Run(_ => new PlatformNotSupportedException());
            Assert.Null(result);
            Assert.Single(tried);
        }

        [Fact]
        public void Any_other_failure_is_not_hidden()
        {
            Assert.Throws<InvalidOperationException>(() => Run(_ => new InvalidOperationException("boom")));
        }
    }
}
