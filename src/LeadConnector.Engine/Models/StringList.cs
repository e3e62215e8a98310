using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace LeadConnector
{
    /// <summary>
    /// A list of strings on an output object (tags, recipients, attachments, ids). It enumerates, indexes and converts
    /// to JSON as an array, and its text is the items joined with "; ", so Export-Csv writes "vip; lead" where a plain
    /// array would write "System.String[]".
    /// </summary>
    public sealed class StringList : ReadOnlyCollection<string>
    {
        /// <summary>The empty list, shared. (.NET 8's ReadOnlyCollection has an Empty of its own type; this one is a StringList.)</summary>
#if NET8_0_OR_GREATER
        public static new readonly StringList Empty = new StringList(Array.Empty<string>());
#else
        public static readonly StringList Empty = new StringList(Array.Empty<string>());
#endif

        public StringList(IList<string> items) : base(items) { }

        internal static StringList Of(string[]? items) => items == null || items.Length == 0 ? Empty : new StringList(items);

        public override string ToString() => string.Join("; ", this);
    }
}
