using System.Text.Json;

namespace LeadConnector.Engine
{
    /// <summary>
    /// Reads the answer of a create/get/update: the object itself, or wrapped as { "success": ..., "&lt;wrapper&gt;": {...} }
    /// (or under one of several names, for answers the contract does not document).
    /// One pass: the top level is read both as the object and as the wrapper; the wrapped object wins when there is one
    /// (the wrapper property is matched like any field: exact spelling, else ignoring case).
    /// </summary>
    internal sealed class WrappedAnswer<T> where T : class
    {
        private sealed class Answer
        {
            public Answer(T root) => Root = root;

            public readonly T Root;
            public T? Inner;
            public bool? Success;
        }

        private readonly FieldMap<T> _model;
        private readonly FieldMap<Answer> _map;

        /// <param name="model">The object's reader.</param>
        /// <param name="wrappers">The names the object may be wrapped under; for an answer the contract does not document,
        /// several. The last wrapper read decides: an object is the answer, anything else (5, "x", null) means the top level is.</param>
        public WrappedAnswer(FieldMap<T> model, params string[] wrappers)
        {
            _model = model;
            _map = new FieldMap<Answer>(() => new Answer(model.Create()))
                .Add("success", (ref JsonSource s, Answer a) => a.Success = s.Bool());
            foreach (var wrapper in wrappers)
                _map.Add(wrapper, (ref JsonSource s, Answer a) =>
                {
                    if (s.Token == JsonTokenType.StartObject) a.Inner = model.ReadNew(ref s);
                    else
                    {
                        a.Inner = null;
                        s.Skip();
                    }
                });
            model.AddTo(_map, a => a.Root);
        }

        /// <summary>The object, or null when the body is blank or its top level is not an object; and the answer's success flag.</summary>
        public T? Read(byte[] body, out bool? success)
        {
            if (!_map.TryReadBody(body, out var answer))
            {
                success = null;
                return null;
            }
            success = answer.Success;
            return answer.Inner ?? _model.Finish(answer.Root);
        }
    }
}
