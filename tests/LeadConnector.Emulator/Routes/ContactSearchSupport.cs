using System.Globalization;
using System.Text.Json;

namespace LeadConnector.Emulator.Routes;

/// <summary>
/// The filters of POST /contacts/search, as HighLevel's advanced-search docs describe them: each
/// { field, operator, value }, or a group { group: AND|OR, filters: [...] }; the top level is AND.
/// Operators eq, not_eq, contains, not_contains, exists, not_exists, and range ({ gte, lte, gt, lt }) on date fields.
/// </summary>
internal static class ContactFilters
{
    private static readonly string[] TextFields =
    [
        "id", "firstName", "lastName", "name", "contactName", "email", "phone", "companyName", "type", "source", "assignedTo",
        "city", "state", "country", "postalCode", "address1", "website", "timezone", "tags",
    ];
    private static readonly string[] DateFields = ["dateAdded", "dateUpdated"];
    private static readonly string[] Operators = ["eq", "not_eq", "contains", "not_contains", "exists", "not_exists", "range"];

    public static Func<StoredContact, bool> Parse(JsonElement? raw, List<string> errors)
    {
        if (raw is null) return _ => true;
        if (raw.Value.ValueKind != JsonValueKind.Array)
        {
            errors.Add("filters must be an array");
            return _ => true;
        }
        return All(raw.Value, errors, "filters", 0);
    }

    private static Func<StoredContact, bool> All(JsonElement array, List<string> errors, string at, int depth)
    {
        var parts = new List<Func<StoredContact, bool>>();
        var i = 0;
        foreach (var f in array.EnumerateArray()) parts.Add(One(f, errors, $"{at}.{i++}", depth));
        return c => parts.All(p => p(c));
    }

    private static Func<StoredContact, bool> One(JsonElement f, List<string> errors, string at, int depth)
    {
        if (f.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{at} must be an object");
            return _ => true;
        }
        foreach (var p in f.EnumerateObject())
            if (p.Name is not ("field" or "operator" or "value" or "group" or "filters"))
                errors.Add($"{at}.property {p.Name} should not exist");
        if (f.TryGetProperty("group", out var groupEl))
        {
            var group = groupEl.ValueKind == JsonValueKind.String ? groupEl.GetString() : null;
            if (group is not ("AND" or "OR")) { errors.Add($"{at}.group must be one of the following values: AND, OR"); return _ => true; }
            if (depth >= 3) { errors.Add($"{at}: groups nest at most 3 levels deep"); return _ => true; }
            if (!f.TryGetProperty("filters", out var inner) || inner.ValueKind != JsonValueKind.Array || inner.GetArrayLength() == 0)
            {
                errors.Add($"{at}.filters must be a non-empty array");
                return _ => true;
            }
            if (group == "AND") return All(inner, errors, at + ".filters", depth + 1);
            var parts = new List<Func<StoredContact, bool>>();
            var i = 0;
            foreach (var x in inner.EnumerateArray()) parts.Add(One(x, errors, $"{at}.filters.{i++}", depth + 1));
            return c => parts.Any(p => p(c));
        }
        if (!f.TryGetProperty("field", out var fieldEl) || fieldEl.ValueKind != JsonValueKind.String
            || !f.TryGetProperty("operator", out var opEl) || opEl.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{at} must have a field and an operator");
            return _ => true;
        }
        var field = fieldEl.GetString()!;
        var op = opEl.GetString()!;
        var isDate = DateFields.Contains(field);
        if (!isDate && !TextFields.Contains(field)) { errors.Add($"{at}: filter field {field} is not supported"); return _ => true; }
        if (!Operators.Contains(op)) { errors.Add($"{at}: filter operator {op} is not supported"); return _ => true; }
        f.TryGetProperty("value", out var v);
        if (op is "exists" or "not_exists")
        {
            return op == "exists" ? c => Present(c, field) : c => !Present(c, field);
        }
        if (op == "range")
        {
            if (!isDate) { errors.Add($"{at}: range is supported on date fields ({string.Join(", ", DateFields)})"); return _ => true; }
            if (v.ValueKind != JsonValueKind.Object) { errors.Add($"{at}: a range value must be an object with gte, lte, gt or lt"); return _ => true; }
            var bounds = new List<Func<long, bool>>();
            foreach (var b in v.EnumerateObject())
            {
                if (Ms(b.Value) is not long ms) { errors.Add($"{at}.value.{b.Name} must be a date (ISO-8601 text or epoch milliseconds)"); continue; }
                switch (b.Name)
                {
                    case "gte": bounds.Add(x => x >= ms); break;
                    case "lte": bounds.Add(x => x <= ms); break;
                    case "gt": bounds.Add(x => x > ms); break;
                    case "lt": bounds.Add(x => x < ms); break;
                    default: errors.Add($"{at}.value.property {b.Name} should not exist"); break;
                }
            }
            if (bounds.Count == 0 && errors.Count == 0) errors.Add($"{at}: a range needs gte, lte, gt or lt");
            return c => bounds.All(b => b(DateOf(c, field)));
        }
        if (isDate)
        {
            if (op is not ("eq" or "not_eq") || Ms(v) is not long at2) { errors.Add($"{at}: a date field takes eq, not_eq, range, exists or not_exists with a date"); return _ => true; }
            return op == "eq" ? c => DateOf(c, field) == at2 : c => DateOf(c, field) != at2;
        }
        var values = v.ValueKind switch
        {
            JsonValueKind.String => [v.GetString()!],
            JsonValueKind.Array => v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToArray(),
            JsonValueKind.True or JsonValueKind.False or JsonValueKind.Number => [v.ToString()],
            _ => Array.Empty<string>(),
        };
        if (values.Length == 0) { errors.Add($"{at}: filter {field} {op} needs a value"); return _ => true; }
        if (field == "phone") values = [.. values.Select(x => DataStore.NormalizePhone(x) ?? x)];
        return c =>
        {
            var actual = Values(c, field);
            return op switch
            {
                "eq" => values.Any(x => actual.Contains(x, StringComparer.OrdinalIgnoreCase)),
                "not_eq" => !values.Any(x => actual.Contains(x, StringComparer.OrdinalIgnoreCase)),
                "contains" => values.Any(x => actual.Any(a => a.Contains(x, StringComparison.OrdinalIgnoreCase))),
                _ => !values.Any(x => actual.Any(a => a.Contains(x, StringComparison.OrdinalIgnoreCase))),
            };
        };
    }

    private static bool Present(StoredContact c, string field) => DateFields.Contains(field) || Values(c, field).Length > 0;

    private static long DateOf(StoredContact c, string field) =>
        (field == "dateUpdated" ? c.DateUpdated : c.DateAdded).ToUnixTimeMilliseconds();

    /// <summary>ISO-8601 text or epoch milliseconds (a number or numeric text).</summary>
    internal static long? Ms(JsonElement v)
    {
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n)) return n;
        if (v.ValueKind != JsonValueKind.String) return null;
        var s = v.GetString()!;
        if (long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)) return ms;
        return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d.ToUnixTimeMilliseconds() : null;
    }

    internal static string[] Values(StoredContact c, string field)
    {
        var value = field switch
        {
            "id" => c.Id, "firstName" => c.FirstName, "lastName" => c.LastName, "email" => c.Email, "phone" => DataStore.NormalizePhone(c.Phone),
            "companyName" => c.CompanyName, "type" => c.Type, "source" => c.Source, "assignedTo" => c.AssignedTo,
            "contactName" or "name" => c.ContactName, "city" => c.City, "state" => c.State, "country" => c.Country,
            "postalCode" => c.PostalCode, "address1" => c.Address1, "website" => c.Website, "timezone" => c.Timezone, _ => null,
        };
        return field == "tags" ? c.Tags : string.IsNullOrEmpty(value) ? [] : [value];
    }
}

/// <summary>
/// The sort of POST /contacts/search ([{ field, direction }]) and its searchAfter cursor: the sort values of the last
/// contact of a page, then its id. Without a sort: dateAdded descending, then id ([dateAdded ms, id]).
/// </summary>
internal sealed class ContactSearchOrder
{
    private static readonly string[] Fields = ["dateAdded", "dateUpdated", "firstName", "lastName", "name", "email", "phone", "companyName"];

    private readonly List<(string Field, bool Descending)> _keys;

    private ContactSearchOrder(List<(string, bool)> keys) => _keys = keys;

    public static ContactSearchOrder Parse(JsonElement? raw, List<string> errors)
    {
        var keys = new List<(string, bool)>();
        if (raw is { } r)
        {
            if (r.ValueKind != JsonValueKind.Array) errors.Add("sort must be an array");
            else
            {
                var i = 0;
                foreach (var s in r.EnumerateArray())
                {
                    var at = $"sort.{i++}";
                    if (s.ValueKind != JsonValueKind.Object) { errors.Add($"{at} must be an object"); continue; }
                    foreach (var p in s.EnumerateObject())
                        if (p.Name is not ("field" or "direction")) errors.Add($"{at}.property {p.Name} should not exist");
                    var field = s.TryGetProperty("field", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
                    var direction = s.TryGetProperty("direction", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                    if (field is null || !Fields.Contains(field)) errors.Add($"{at}.field must be one of the following values: {string.Join(", ", Fields)}");
                    else if (direction is not ("asc" or "desc")) errors.Add($"{at}.direction must be one of the following values: asc, desc");
                    else keys.Add((field, direction == "desc"));
                }
                if (keys.Count > 2) errors.Add("sort takes at most 2 fields");
            }
        }
        if (keys.Count == 0) keys.Add(("dateAdded", true));
        return new ContactSearchOrder(keys);
    }

    private static bool IsDate(string field) => field is "dateAdded" or "dateUpdated";

    private static object Key(StoredContact c, string field) => field switch
    {
        "dateAdded" => c.DateAdded.ToUnixTimeMilliseconds(),
        "dateUpdated" => c.DateUpdated.ToUnixTimeMilliseconds(),
        "name" => c.ContactName.ToLowerInvariant(),
        _ => (ContactFilters.Values(c, field).FirstOrDefault() ?? "").ToLowerInvariant(),
    };

    private int Compare(object[] a, object[] b)
    {
        for (var i = 0; i < _keys.Count; i++)
        {
            var cmp = a[i] is long x ? x.CompareTo((long)b[i]) : string.CompareOrdinal((string)a[i], (string)b[i]);
            if (cmp != 0) return _keys[i].Descending ? -cmp : cmp;
        }
        return string.CompareOrdinal((string)a[^1], (string)b[^1]);
    }

    /// <summary>The sort values of a contact, then its id: the contact's searchAfter.</summary>
    public object[] Cursor(StoredContact c) => [.. _keys.Select(k => Key(c, k.Field)), c.Id];

    public IEnumerable<StoredContact> Order(IEnumerable<StoredContact> contacts)
    {
        var list = contacts.Select(c => (Contact: c, Key: Cursor(c))).ToList();
        list.Sort((a, b) => Compare(a.Key, b.Key));
        return list.Select(x => x.Contact);
    }

    public bool After(StoredContact c, object[] cursor) => Compare(Cursor(c), cursor) > 0;

    /// <summary>A searchAfter array of this order's shape (numbers for dates, text otherwise, then the id), or null.</summary>
    public object[]? ReadCursor(JsonElement raw)
    {
        if (raw.ValueKind != JsonValueKind.Array || raw.GetArrayLength() != _keys.Count + 1) return null;
        var result = new object[_keys.Count + 1];
        for (var i = 0; i < _keys.Count; i++)
        {
            var v = raw[i];
            if (IsDate(_keys[i].Field))
            {
                if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var n)) return null;
                result[i] = n;
            }
            else
            {
                if (v.ValueKind != JsonValueKind.String) return null;
                result[i] = v.GetString()!;
            }
        }
        if (raw[_keys.Count].ValueKind != JsonValueKind.String) return null;
        result[^1] = raw[_keys.Count].GetString()!;
        return result;
    }
}
