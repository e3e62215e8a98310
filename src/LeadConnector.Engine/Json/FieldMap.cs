using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace LeadConnector.Engine
{
    /// <remarks>
    /// Why a reader of our own rather than JsonDocument or JsonSerializer: the contract's encodings are mixed (a type
    /// that is a number or a string, dates in three encodings, wrapped and unwrapped bodies, re-cased names), so every
    /// field needs a lenient reader, which a serializer's DTOs cannot give and a JsonDocument gives only after a second
    /// pass. Reading a 100-item search page straight from its bytes, decodability check included, takes 0.79 to 0.85 of
    /// the time JsonSerializer takes to fill plain DTOs of the same shape (read_ratio in docs/performance.md). It is the
    /// engine's one JSON reader: models, error bodies and token answers all go through it and <see cref="JsonSource"/>;
    /// only Invoke-LcRequest, which hands back the document itself, builds a JsonDocument.
    /// </remarks>
    /// <summary>
    /// The fields of one JSON object shape (at most 64, each a contract name and a reader), read in one pass over the
    /// object's properties. A property spelt exactly wins (the last of duplicates, as JsonElement.TryGetProperty did);
    /// otherwise the first one that differs only in case (gateways re-case names). Unknown properties are skipped whole.
    /// Names are matched as UTF-8 bytes, without building a string: first the field after the last one matched (bodies
    /// list fields in the same order every time), then the fields of the same length; only an escaped or non-ASCII
    /// name is decoded and looked up ignoring case.
    /// </summary>
    internal sealed class FieldMap<T> where T : class
    {
        private sealed class Field
        {
            public Field(int index, string name, ReadField<T> read)
            {
                Index = index;
                Name = name;
                Utf8 = Encoding.UTF8.GetBytes(name);
                Read = read;
            }

            public readonly int Index;
            public readonly string Name;
            public readonly byte[] Utf8;
            public readonly ReadField<T> Read;
        }

        private readonly Func<T> _create;
        private readonly Action<T>? _finish;
        private readonly List<Field> _ordered = new List<Field>();
        private readonly Dictionary<string, Field> _ignoringCase = new Dictionary<string, Field>(StringComparer.OrdinalIgnoreCase);
        private Field[]?[] _byLength = Array.Empty<Field[]?>();

        /// <param name="create">Makes a new target (for <see cref="ReadNew"/>).</param>
        /// <param name="finish">Runs after a new target is read (fallbacks between fields).</param>
        public FieldMap(Func<T> create, Action<T>? finish = null)
        {
            _create = create;
            _finish = finish;
        }

        /// <summary>Adds a field (ASCII name). Add them in the order the API usually sends them: that order is the fast path.</summary>
        public FieldMap<T> Add(string name, ReadField<T> read)
        {
            if (_ordered.Count >= 64) throw new InvalidOperationException("A FieldMap holds at most 64 fields.");
            foreach (var c in name)
                if (c >= 0x80) throw new ArgumentException("Field names are ASCII.", nameof(name));
            var field = new Field(_ordered.Count, name, read);
            _ignoringCase.Add(name, field);
            _ordered.Add(field);
            if (field.Utf8.Length >= _byLength.Length) Array.Resize(ref _byLength, field.Utf8.Length + 1);
            var bucket = _byLength[field.Utf8.Length] ?? Array.Empty<Field>();
            Array.Resize(ref bucket, bucket.Length + 1);
            bucket[bucket.Length - 1] = field;
            _byLength[field.Utf8.Length] = bucket;
            return this;
        }

        /// <summary>This map's fields adapted to another target (a wrapper that holds a <typeparamref name="T"/>).</summary>
        public void AddTo<TOuter>(FieldMap<TOuter> outer, Func<TOuter, T> inner) where TOuter : class
        {
            foreach (var f in _ordered)
            {
                var read = f.Read;
                outer.Add(f.Name, (ref JsonSource s, TOuter o) => read(ref s, inner(o)));
            }
        }

        public T Create() => _create();

        public T Finish(T target)
        {
            _finish?.Invoke(target);
            return target;
        }

        /// <summary>A new target read from the object at the current token (StartObject).</summary>
        public T ReadNew(ref JsonSource source)
        {
            var target = _create();
            Read(ref source, target);
            return Finish(target);
        }

        /// <summary>
        /// Reads a whole body whose top level should be this object. False (the body read through, so invalid JSON
        /// anywhere still throws <see cref="JsonException"/>) when it is blank or its top level is not an object.
        /// </summary>
        public bool TryReadBody(byte[] body, out T result)
        {
            var source = new JsonSource(body);
            if (!source.StartObjectBody())
            {
                result = null!;
                return false;
            }
            result = ReadNew(ref source);
            source.End();
            return true;
        }

        /// <summary>Reads the object at the current token (StartObject) into <paramref name="target"/>; ends on its EndObject.</summary>
        public void Read(ref JsonSource source, T target)
        {
            ulong seen = 0;
            int next = 0;
            while (source.Reader.Read() && source.Reader.TokenType == JsonTokenType.PropertyName)
            {
                Field? field;
                bool spelt;
                if (next < _ordered.Count && source.Reader.ValueTextEquals(_ordered[next].Utf8))
                {
                    field = _ordered[next];
                    spelt = true;
                }
                else if ((field = Find(ref source.Reader, out spelt)) == null)
                {
                    source.Reader.Skip(); // the property's value, whole
                    continue;
                }
                next = field.Index + 1;
                ulong bit = 1UL << field.Index;
                source.Reader.Read();
                if (spelt || (seen & bit) == 0)
                {
                    seen |= bit;
                    field.Read(ref source, target);
                }
                else source.Reader.Skip();
            }
        }

        /// <summary>The field a property name (the current token) names: exactly (<paramref name="spelt"/>) or ignoring case.</summary>
        private Field? Find(ref Utf8JsonReader reader, out bool spelt)
        {
            spelt = false;
            if (!reader.ValueIsEscaped && !reader.HasValueSequence)
            {
                var name = reader.ValueSpan;
                Field? other = null;
                if (name.Length < _byLength.Length && _byLength[name.Length] is Field[] bucket)
                {
                    foreach (var f in bucket)
                    {
                        if (name.SequenceEqual(f.Utf8))
                        {
                            spelt = true;
                            return f;
                        }
                        if (other == null && AsciiEqualsIgnoringCase(name, f.Utf8)) other = f;
                    }
                }
                if (other != null) return other;
                // An ASCII name that matched nothing is unknown; a non-ASCII one may still equal a field ignoring case.
                if (IsAscii(name)) return null;
            }
            var text = reader.GetString()!;
            if (!_ignoringCase.TryGetValue(text, out var found)) return null;
            spelt = string.Equals(text, found.Name, StringComparison.Ordinal);
            return found;
        }

        /// <summary>Equal ignoring ASCII case; <paramref name="field"/> is ASCII, so a non-ASCII byte never matches.</summary>
        private static bool AsciiEqualsIgnoringCase(ReadOnlySpan<byte> name, byte[] field)
        {
            for (int i = 0; i < name.Length; i++)
            {
                int a = name[i], b = field[i];
                if (a == b) continue;
                int la = a | 0x20;
                if (la != (b | 0x20) || la < 'a' || la > 'z') return false;
            }
            return true;
        }

        private static bool IsAscii(ReadOnlySpan<byte> name)
        {
            foreach (var b in name)
                if (b >= 0x80) return false;
            return true;
        }
    }
}
