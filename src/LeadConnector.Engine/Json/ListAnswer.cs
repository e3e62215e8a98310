using System.Collections.Generic;
using System.Text.Json;

namespace LeadConnector.Engine
{
    /// <summary>
    /// Reads a list whose shape the contract does not document: a top-level array of objects, or an object that holds
    /// the array under one of a few names (the first array found wins). Null when the body is neither.
    /// </summary>
    internal sealed class ListAnswer<T> where T : class
    {
        private sealed class Answer
        {
            public List<T>? Items;
            public bool? Success;
        }

        private readonly FieldMap<T> _model;
        private readonly FieldMap<Answer> _map;

        public ListAnswer(FieldMap<T> model, params string[] names)
        {
            _model = model;
            _map = new FieldMap<Answer>(() => new Answer())
                .Add("success", (ref JsonSource s, Answer a) => a.Success = s.Bool());
            foreach (var name in names)
                _map.Add(name, (ref JsonSource s, Answer a) =>
                {
                    if (s.Token == JsonTokenType.StartArray && a.Items == null) a.Items = s.Objects(model);
                    else s.Skip();
                });
        }

        /// <summary>The items, or null when the body holds no list in a shape this reader knows.</summary>
        public List<T>? Read(byte[] body, out bool? success)
        {
            success = null;
            var source = new JsonSource(body);
            if (JsonSource.IsBlank(body)) return null;
            source.Reader.Read();
            if (source.Token == JsonTokenType.StartArray)
            {
                var items = source.Objects(_model);
                source.End();
                return items;
            }
            if (source.Token != JsonTokenType.StartObject)
            {
                source.Skip();
                source.End();
                return null;
            }
            var answer = _map.ReadNew(ref source);
            source.End();
            success = answer.Success;
            return answer.Items;
        }
    }
}
