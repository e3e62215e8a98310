using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>The kinds of id a parameter takes: what a typed LeadConnector object gives to it.</summary>
    public enum LcIdKind
    {
        Conversation,
        Contact,
        Message,
        EmailMessage,
        Note,
        CustomSubtype,
    }

    /// <summary>
    /// Binds an id parameter by what the input is, never by a property that merely happens to be called Id. Put it on an
    /// id parameter that takes pipeline input by value: PowerShell's first pass (by value, no coercion) hands it every
    /// piped object, before any by-property-name match could bind the wrong kind of id.
    /// </summary>
    /// <remarks>
    /// The rule, for a parameter of kind K (a conversation id, say):
    /// <list type="bullet">
    /// <item>a string is the id itself (a whole number too: ids typed at the prompt);</item>
    /// <item>a LeadConnector object of kind K gives its Id; any other LeadConnector object gives its K id (a message's
    /// ConversationId) when it carries one, and is refused when it does not (a contact has no conversation id);</item>
    /// <item>the same for an object whose type name says it was one (deserialized, or read back from a CSV with its type);</item>
    /// <item>a plain object (a CSV row, Select-Object output, a hashtable) gives its K id column, else its Id column;</item>
    /// <item>anything else is refused: "Expected a conversation id or a LeadConnector.Conversation, got System.Diagnostics.Process."</item>
    /// </list>
    /// Types in <see cref="Defer"/> pass through untouched, for a typed parameter of another parameter set to bind them
    /// (Get-LcConversation's -Contact). A refusal is a binding error of the record (ParameterArgumentTransformationError):
    /// nothing is sent for it, and the pipeline goes on.
    /// </remarks>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class LcIdAttribute : ArgumentTransformationAttribute
    {
        private sealed class KindInfo
        {
            public KindInfo(string noun, string typeName, string reference) { Noun = noun; TypeName = typeName; Reference = reference; }
            public string Noun { get; }
            public string TypeName { get; }
            public string Reference { get; }
        }

        private static readonly Dictionary<LcIdKind, KindInfo> Kinds = new Dictionary<LcIdKind, KindInfo>
        {
            [LcIdKind.Conversation] = new KindInfo("conversation", "LeadConnector.Conversation", "ConversationId"),
            [LcIdKind.Contact] = new KindInfo("contact", "LeadConnector.Contact", "ContactId"),
            [LcIdKind.Message] = new KindInfo("message", "LeadConnector.Message", "MessageId"),
            [LcIdKind.EmailMessage] = new KindInfo("email message", "LeadConnector.EmailMessage", "EmailMessageId"),
            [LcIdKind.Note] = new KindInfo("note", "LeadConnector.ContactNote", "NoteId"),
            [LcIdKind.CustomSubtype] = new KindInfo("custom subtype", "LeadConnector.CustomSubtype", "SubtypeId"),
        };

        private readonly KindInfo _kind;

        public LcIdAttribute(LcIdKind kind)
        {
            _kind = Kinds[kind];
        }

        /// <summary>Types left for a typed parameter of another parameter set (passed through unchanged).</summary>
        public Type[] Defer { get; set; } = Type.EmptyTypes;

        /// <summary>
        /// A plain object with neither column is passed through unchanged instead of refused, for another parameter to
        /// bind by property name (Get-LcMessage: a row with only a MessageId gets that message).
        /// </summary>
        public bool PlainObjectsByName { get; set; }

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            if (inputData == null) return null;
            var data = inputData is PSObject pso ? pso.BaseObject : inputData;
            if (data is string) return data;
            if (Defer.Any(t => t.IsInstanceOfType(data))) return inputData;
            // -Id a, b or an array of objects: each element by the same rule.
            if (data is IList list && !(data is IDictionary)) return list.Cast<object?>().Select(One).ToArray();
            return One(inputData);
        }

        private object? One(object? input)
        {
            if (input == null) return null;
            var obj = PSObject.AsPSObject(input);
            var data = obj.BaseObject;
            switch (data)
            {
                case string s: return s;
                case int _: case long _: case short _: case uint _: case ulong _: case ushort _:
                    return Convert.ToString(data, CultureInfo.InvariantCulture);
                case IDictionary map:
                    return Column(key => map.Contains(key) ? map[key] : null, "a hashtable");
            }
            var typeName = ModelTypeName(obj);
            if (typeName != null)
            {
                if (typeName == _kind.TypeName)
                    return Text(obj.Properties["Id"]?.Value) ?? throw Refuse($"got a {typeName} without an Id");
                return Text(obj.Properties[_kind.Reference]?.Value)
                    ?? throw Refuse($"got a {typeName}, which carries no {_kind.Reference}");
            }
            if (data is PSCustomObject)
            {
                if (PlainObjectsByName && obj.Properties[_kind.Reference] == null && obj.Properties["Id"] == null) return input;
                return Column(name => obj.Properties[name]?.Value, "an object");
            }
            throw Refuse("got " + data.GetType().FullName);
        }

        /// <summary>A plain object or hashtable: its K id column, else its Id column.</summary>
        private string Column(Func<string, object?> read, string what)
        {
            foreach (var name in new[] { _kind.Reference, "Id" })
            {
                var value = read(name);
                if (value == null) continue;
                var unwrapped = value is PSObject p ? p.BaseObject : value;
                if (unwrapped is string || unwrapped is int || unwrapped is long)
                    return Convert.ToString(unwrapped, CultureInfo.InvariantCulture)!;
                throw Refuse($"got {what} whose {name} is a {unwrapped.GetType().FullName}");
            }
            throw Refuse($"got {what} with neither a {_kind.Reference} nor an Id property");
        }

        /// <summary>The LeadConnector model an object is or was: its .NET type, or a type name kept by serialization or CSV.</summary>
        private static string? ModelTypeName(PSObject obj)
        {
            foreach (var raw in obj.TypeNames)
            {
                var name = raw;
                if (name.StartsWith("Deserialized.", StringComparison.Ordinal)) name = name.Substring("Deserialized.".Length);
                if (name.StartsWith("CSV:", StringComparison.Ordinal)) name = name.Substring("CSV:".Length);
                if (name.StartsWith("LeadConnector.", StringComparison.Ordinal) && name.IndexOf('.', "LeadConnector.".Length) < 0)
                    return name;
            }
            return null;
        }

        private static string? Text(object? value)
        {
            var v = value is PSObject p ? p.BaseObject : value;
            return v is string s && s.Length > 0 ? s : null;
        }

        private ArgumentTransformationMetadataException Refuse(string got) =>
            new ArgumentTransformationMetadataException($"Expected a {_kind.Noun} id or a {_kind.TypeName}, {got}. Nothing was sent for it.");
    }
}
