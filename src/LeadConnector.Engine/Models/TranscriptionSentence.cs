using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>
    /// One sentence of a call's transcription (GetMessageTranscriptionResponseDto): who spoke (the media channel), when
    /// (start and end from the start of the call), what was said, and how sure the transcriber was.
    /// </summary>
    public sealed class TranscriptionSentence
    {
        /// <summary>The message (call) the transcription belongs to.</summary>
        public string? MessageId { get; set; }
        /// <summary>The speaker: the media channel of the call (the user interaction channel).</summary>
        public int? MediaChannel { get; set; }
        public int? SentenceIndex { get; set; }
        /// <summary>
        /// When the sentence starts, in seconds from the start of the call (the API's startTime is in milliseconds). A number,
        /// not a TimeSpan, so that JSON and CSV get one flat value.
        /// </summary>
        public double? StartSeconds { get; set; }
        /// <summary>When the sentence ends, in seconds from the start of the call (the API's endTime, in milliseconds).</summary>
        public double? EndSeconds { get; set; }
        public string? Transcript { get; set; }
        /// <summary>0 to 1.</summary>
        public double? Confidence { get; set; }

        public override string ToString() => Transcript ?? "";

        internal static readonly FieldMap<TranscriptionSentence> Fields = new FieldMap<TranscriptionSentence>(() => new TranscriptionSentence())
            .Add("mediaChannel", (ref JsonSource s, TranscriptionSentence t) => t.MediaChannel = s.Int())
            .Add("sentenceIndex", (ref JsonSource s, TranscriptionSentence t) => t.SentenceIndex = s.Int())
            .Add("startTime", (ref JsonSource s, TranscriptionSentence t) => t.StartSeconds = Seconds(ref s))
            .Add("endTime", (ref JsonSource s, TranscriptionSentence t) => t.EndSeconds = Seconds(ref s))
            .Add("transcript", (ref JsonSource s, TranscriptionSentence t) => t.Transcript = s.String())
            .Add("confidence", (ref JsonSource s, TranscriptionSentence t) => t.Confidence = Number(ref s));

        private static double? Seconds(ref JsonSource s) => Number(ref s) is double ms && ms >= 0 && !double.IsInfinity(ms) ? ms / 1000.0 : (double?)null;

        /// <summary>A number, or a number as text (the OpenAPI's examples are strings).</summary>
        private static double? Number(ref JsonSource s)
        {
            switch (s.Token)
            {
                case JsonTokenType.Number:
                    return s.Reader.TryGetDouble(out var d) && !double.IsNaN(d) && !double.IsInfinity(d) ? d : (double?)null;
                case JsonTokenType.String:
                    return double.TryParse(s.Reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && !double.IsNaN(p) && !double.IsInfinity(p) ? p : (double?)null;
                default:
                    s.Skip();
                    return null;
            }
        }

        private sealed class Wrapper
        {
            public List<TranscriptionSentence>? Items;
        }

        // A wrapped answer: { transcription: [...] } or { sentences: [...] } or { data: [...] }.
        private static readonly FieldMap<Wrapper> WrapperFields = new FieldMap<Wrapper>(() => new Wrapper())
            .Add("transcription", ReadList)
            .Add("sentences", ReadList)
            .Add("data", ReadList);

        private static void ReadList(ref JsonSource s, Wrapper w)
        {
            if (s.Token == JsonTokenType.StartArray) w.Items = s.Objects(Fields);
            else s.Skip();
        }

        /// <summary>
        /// The sentences of an answer: the documented array of sentence objects, one sentence object alone (as the
        /// OpenAPI's schema reads), or the array wrapped in an object. Null when the body is none of these.
        /// </summary>
        internal static List<TranscriptionSentence>? ReadAll(byte[] body)
        {
            var source = new JsonSource(body);
            if (JsonSource.IsBlank(body)) return null;
            source.Reader.Read();
            if (source.Token == JsonTokenType.StartArray)
            {
                var list = source.Objects(Fields) ?? new List<TranscriptionSentence>();
                source.End();
                return list;
            }
            if (source.Token != JsonTokenType.StartObject) return null;
            // One object: a sentence, or a wrapper.
            var wrapped = WrapperFields.TryReadBody(body, out var w) ? w.Items : null;
            if (wrapped != null) return wrapped;
            return Fields.TryReadBody(body, out var one) ? new List<TranscriptionSentence> { one } : null;
        }
    }
}
