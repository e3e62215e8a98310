using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>Strips PowerShell's PSObject wrappers from user values (hashtables, arrays) before they reach the engine.</summary>
    internal static class PlainValues
    {
        public static object? Unwrap(object? value, int depth = 0)
        {
            if (value is PSObject pso && pso.BaseObject != null) value = pso.BaseObject;
            if (depth > 32) return value;
            switch (value)
            {
                case null: return null;
                case string s: return s;
                case IDictionary dict:
                    var copy = new Hashtable();
                    foreach (DictionaryEntry e in dict) copy[Unwrap(e.Key, depth + 1) ?? ""] = Unwrap(e.Value, depth + 1);
                    return copy;
                case IEnumerable list:
                    var items = new List<object?>();
                    foreach (var item in list) items.Add(Unwrap(item, depth + 1));
                    return items;
                default: return value;
            }
        }
    }
}
