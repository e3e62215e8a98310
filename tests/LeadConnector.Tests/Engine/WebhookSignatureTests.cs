using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using LeadConnector.Webhooks;

namespace LeadConnector.Tests.Engine
{
    /// <summary>
    /// The engine's webhook crypto: Ed25519 against the RFC 8032 (section 7.1) test vectors, every key and signature
    /// encoding, the legacy RSA-SHA256 with a .NET-made key pair and the documented key, malformed input refused as
    /// InvalidInput; the payload reader and the replay guard.
    /// </summary>
    public class WebhookSignatureTests
    {
        // RFC 8032, 7.1: TEST 1, 2, 3 and TEST 1024's first lines are not used; public key, message, signature (hex).
        public static TheoryData<string, string, string> Rfc8032 => new TheoryData<string, string, string>
        {
            {
                "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
            },
            {
                "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
                "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
            },
            {
                "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
                "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
            },
        };

        private static byte[] Hex(string hex) => Convert.FromHexString(hex);

        private static string Pem(byte[] rawEd25519) =>
            "-----BEGIN PUBLIC KEY-----\n" + Convert.ToBase64String(Hex("302a300506032b6570032100").Concat(rawEd25519).ToArray()) + "\n-----END PUBLIC KEY-----\n";

        [Theory]
        [MemberData(nameof(Rfc8032))]
        public void Rfc8032_vectors_verify_with_the_key_and_signature_in_every_encoding(string key, string message, string signature)
        {
            var body = Hex(message);
            var sig64 = Convert.ToBase64String(Hex(signature));
            Assert.True(WebhookSignature.VerifyEd25519(body, signature, key));
            Assert.True(WebhookSignature.VerifyEd25519(body, sig64, Convert.ToBase64String(Hex(key))));
            Assert.True(WebhookSignature.VerifyEd25519(body, sig64, Pem(Hex(key))));
            Assert.True(WebhookSignature.VerifyEd25519(body, sig64.TrimEnd('=').Replace('+', '-').Replace('/', '_'), key)); // URL-safe, unpadded
        }

        [Theory]
        [MemberData(nameof(Rfc8032))]
        public void Rfc8032_vectors_fail_when_the_message_or_the_signature_changes(string key, string message, string signature)
        {
            var body = Hex(message);
            Assert.False(WebhookSignature.VerifyEd25519(body.Append((byte)0).ToArray(), signature, key));
            var bad = Hex(signature);
            bad[10] ^= 1;
            Assert.False(WebhookSignature.VerifyEd25519(body, Convert.ToHexString(bad), key));
            Assert.False(WebhookSignature.VerifyEd25519(body, signature, "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c" == key
                ? "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a" : "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"));
        }

        [Fact]
        public void A_string_body_is_its_UTF8_bytes_without_a_BOM()
        {
            Assert.Equal(new byte[] { 0x7b, 0xc3, 0xa9, 0x7d }, WebhookSignature.BodyBytes("{é}"));
        }

        [Theory]
        [InlineData("")]
        [InlineData("not a key!")]
        [InlineData("AAECAwQF")]
        [InlineData("-----BEGIN PUBLIC KEY-----\n%%%\n-----END PUBLIC KEY-----")]
        public void A_malformed_Ed25519_key_is_InvalidInput(string key)
        {
            var ex = Assert.Throws<LcException>(() => WebhookSignature.ParseEd25519PublicKey(key));
            Assert.Equal(LcErrorKind.InvalidInput, ex.Kind);
        }

        [Theory]
        [InlineData("")]
        [InlineData("***")]
        [InlineData("AAAA")] // 3 bytes, not 64
        public void A_malformed_Ed25519_signature_is_InvalidInput(string signature)
        {
            var ex = Assert.Throws<LcException>(() => WebhookSignature.VerifyEd25519(new byte[1], signature, "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
            Assert.Equal(LcErrorKind.InvalidInput, ex.Kind);
        }

        [Fact]
        public void The_documented_legacy_key_is_a_4096_bit_RSA_key_with_exponent_65537()
        {
            var key = WebhookSignature.ParseRsaPublicKey(WebhookSignature.LegacyPublicKeyPem);
            Assert.Equal(4096, key.Modulus.BitLength);
            Assert.Equal(65537, key.Exponent.IntValue);
        }

        [Fact]
        public void Legacy_RSA_SHA256_verifies_a_NET_signature_and_refuses_a_tampered_body_or_another_key()
        {
            using var rsa = RSA.Create(2048);
            var body = WebhookSignature.BodyBytes("{\"timestamp\":\"2025-01-28T14:35:00Z\",\"webhookId\":\"abc123xyz\"}");
            var signature = Convert.ToBase64String(rsa.SignData(body, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
            var pem = rsa.ExportSubjectPublicKeyInfoPem();
            Assert.True(WebhookSignature.VerifyLegacy(body, signature, pem));
            Assert.True(WebhookSignature.VerifyLegacy(body, signature, rsa.ExportRSAPublicKeyPem())); // BEGIN RSA PUBLIC KEY
            Assert.True(WebhookSignature.VerifyLegacy(body, signature, Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo())));
            Assert.False(WebhookSignature.VerifyLegacy(body.Append((byte)' ').ToArray(), signature, pem));
            Assert.False(WebhookSignature.VerifyLegacy(body, signature)); // the documented key
            Assert.Throws<LcException>(() => WebhookSignature.VerifyLegacy(body, signature, Pem(new byte[32])));
        }

        [Fact]
        public void The_verifier_does_not_take_a_private_key()
        {
            using var rsa = RSA.Create(2048);
            var ex = Assert.Throws<LcException>(() => WebhookVerifier.Create(rsa.ExportRSAPrivateKeyPem(), legacy: true));
            Assert.Contains("private", ex.Message);
        }

        [Fact]
        public void The_payload_reader_maps_webhook_spellings_onto_the_models()
        {
            var p = WebhookPayload.Read(WebhookSignature.BodyBytes(
                "{\"type\":\"InboundMessage\",\"timestamp\":\"2025-01-28T14:35:00Z\",\"webhookId\":\"w1\",\"messageId\":\"m1\",\"messageType\":\"SMS\",\"contactId\":\"c1\",\"conversationId\":\"v1\",\"body\":\"hi\"}"));
            Assert.Equal("InboundMessage", p.Type);
            Assert.Equal("w1", p.WebhookId);
            Assert.Equal(new DateTimeOffset(2025, 1, 28, 14, 35, 0, TimeSpan.Zero), p.Timestamp);
            var m = Assert.IsType<Message>(p.Item);
            Assert.Equal(("m1", "TYPE_SMS", "c1", "v1", "hi"), (m.Id, m.MessageType, m.ContactId, m.ConversationId, m.Body));
            Assert.IsType<WebhookEvent>(WebhookPayload.Read(WebhookSignature.BodyBytes("{\"type\":\"Something\"}")).Item);
            Assert.Equal(LcErrorKind.InvalidInput, Assert.Throws<LcException>(() => WebhookPayload.Read(WebhookSignature.BodyBytes("{oops"))).Kind);
        }

        [Fact]
        public void The_replay_guard_refuses_old_future_undated_and_seen_webhooks()
        {
            var now = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
            var max = TimeSpan.FromMinutes(5);
            WebhookPayload Of(string id, DateTimeOffset? at) => WebhookPayload.Read(WebhookSignature.BodyBytes(
                "{\"type\":\"X\",\"webhookId\":\"" + id + "\"" + (at is DateTimeOffset t ? ",\"timestamp\":" + t.ToUnixTimeMilliseconds() : "") + "}"));
            var id = "guard-" + Guid.NewGuid().ToString("N");
            Assert.Null(WebhookReplayGuard.Check(Of(id, now.AddMinutes(-4)), now, max, false));
            Assert.Contains("already", WebhookReplayGuard.Check(Of(id, now), now, max, false));
            Assert.Null(WebhookReplayGuard.Check(Of(id, now), now, max, true));
            Assert.Contains("older", WebhookReplayGuard.Check(Of(id + "b", now.AddMinutes(-6)), now, max, false));
            Assert.Contains("future", WebhookReplayGuard.Check(Of(id + "c", now.AddMinutes(6)), now, max, false));
            Assert.Contains("no timestamp", WebhookReplayGuard.Check(Of(id + "d", null), now, max, false));
            // A refused one was not remembered: it is accepted once fresh.
            Assert.Null(WebhookReplayGuard.Check(Of(id + "b", now), now, max, false));
        }
    }
}
