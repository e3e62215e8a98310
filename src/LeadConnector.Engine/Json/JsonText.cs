using System;
using System.Text.Json;

namespace LeadConnector.Engine
{
    /// <summary>
    /// Whether a body's text can be decoded: JSON readers accept invalid UTF-8 and lone surrogate escapes inside strings
    /// and only fail when a string is read, so the client checks every 2xx body once (<see cref="SurelyDecodable"/>,
    /// then <see cref="Decodable"/> for the few it could not clear) and refuses the rest as invalid responses.
    /// </summary>
    internal static class JsonText
    {
        /// <summary>
        /// True when the raw body cannot hold anything <see cref="Decodable"/> would refuse: valid UTF-8 throughout
        /// and no \u escape of a surrogate (\uD800 to \uDFFF). Then the walk over every string is skipped.
        /// </summary>
        public static bool SurelyDecodable(byte[] body)
        {
#if NET8_0_OR_GREATER
            if (!System.Text.Unicode.Utf8.IsValid(body)) return false;
#else
            // Windows PowerShell: no Utf8.IsValid, but a strict decoder says the same (overlongs, encoded surrogates and
            // code points past U+10FFFF are all invalid), far cheaper than decoding every string.
            try { StrictUtf8.GetCharCount(body); }
            catch (System.Text.DecoderFallbackException) { return false; }
#endif
            var span = new ReadOnlySpan<byte>(body);
            int at;
            while ((at = span.IndexOf((byte)'\\')) >= 0)
            {
                // A surrogate escape: \uD followed by 8-F.
                if (at + 3 < span.Length && span[at + 1] == (byte)'u' && (span[at + 2] | 0x20) == (byte)'d')
                {
                    var c = (byte)(span[at + 3] | 0x20);
                    if ((c >= (byte)'8' && c <= (byte)'9') || (c >= (byte)'a' && c <= (byte)'f')) return false;
                }
                // Skip the escaped character, so a "\\" before "uD800" (an escaped backslash, then text) is not mistaken.
                span = span.Slice(Math.Min(span.Length, at + 2));
            }
            return true;
        }

#if !NET8_0_OR_GREATER
        private static readonly System.Text.UTF8Encoding StrictUtf8 = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true);
#endif

        /// <summary>
        /// False when a string or property name of the body cannot be decoded (invalid UTF-8, a lone surrogate escape).
        /// The slow check, one pass of the reader decoding every string, for bodies <see cref="SurelyDecodable"/> could
        /// not clear. Invalid JSON throws <see cref="JsonException"/>, as any read of the body would.
        /// </summary>
        public static bool Decodable(byte[] body)
        {
            var source = new JsonSource(body);
            try
            {
                while (source.Reader.Read())
                {
                    var token = source.Reader.TokenType;
                    if (token == JsonTokenType.String || token == JsonTokenType.PropertyName) source.Reader.GetString();
                }
                return true;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }
}
