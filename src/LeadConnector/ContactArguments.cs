using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>
    /// Lets a [bool] parameter take what a CSV cell holds: true/false, yes/no, 1/0 (any case); an empty cell is no value.
    /// (PowerShell refuses the string "false" for a bool parameter; a CSV has nothing but strings.)
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class BoolTextTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var input = inputData is PSObject pso ? pso.BaseObject : inputData;
            if (!(input is string s)) return input;
            switch (s.Trim().ToLowerInvariant())
            {
                case "": return null;
                case "true": case "yes": case "y": case "1": return true;
                case "false": case "no": case "n": case "0": return false;
                default: throw new ArgumentTransformationMetadataException($"'{s}' is not a yes/no value: use true or false (yes/no and 1/0 are taken too).");
            }
        }
    }

    /// <summary>
    /// Lets a count parameter take what a CSV cell holds: digits are the count, an empty cell is no value (PowerShell would
    /// read "" as 0, and so set a count nobody asked for).
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class CountTextTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var input = inputData is PSObject pso ? pso.BaseObject : inputData;
            if (!(input is string s)) return inputData;
            var t = s.Trim();
            if (t.Length == 0) return null;
            if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return n;
            throw new ArgumentTransformationMetadataException($"'{s}' is not a count: use a whole number, 0 or more.");
        }
    }

    /// <summary>
    /// Lets -Tag take a CSV cell that lists several tags: one string is split at ';' and ',' (how Export-Csv writes a
    /// contact's Tags: "vip; lead"), each tag trimmed, empty ones dropped. An array is taken as it is.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class TagListTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var input = inputData is PSObject pso ? pso.BaseObject : inputData;
            if (!(input is string s)) return input;
            var tags = new List<string>();
            foreach (var part in s.Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries))
                if (part.Trim().Length > 0) tags.Add(part.Trim());
            return tags.ToArray();
        }
    }

    /// <summary>
    /// -DateOfBirth: a [DateTime] (or [DateTimeOffset]) becomes its date as YYYY-MM-DD, and so does the API's ISO text of a
    /// returned contact (YYYY-MM-DDT...); other text is taken as it is (the engine checks its format).
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class DateOfBirthTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var input = inputData is PSObject pso ? pso.BaseObject : inputData;
            switch (input)
            {
                case DateTime dt: return dt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                case DateTimeOffset dto: return dto.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                // The API's own form on a contact it returns (1990-09-25T00:00:00.000Z): its date, so a contact piped back in is taken.
                case string s when s.Length > 10 && s[10] == 'T' && DateTime.TryParseExact(s.Substring(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _):
                    return s.Substring(0, 10);
                default: return input;
            }
        }
    }

    /// <summary>What New-LcContact and Set-LcContact share: hashtable parameters as plain values, refused when they have no JSON form.</summary>
    internal static class ContactArguments
    {
        public static IDictionary? Plain(Hashtable? table, string parameter) =>
            table == null ? null : (IDictionary)PlainValues.ToPlain(table, parameter)!;

        public static object? PlainObject(object? value, string parameter)
        {
            if (value is PSObject pso) value = pso.BaseObject;
            if (value == null || value is string) return value;
            if (value is IDictionary) return PlainValues.ToPlain(value, parameter);
            throw LcException.InvalidInput($"{parameter} is a status ('active' or 'inactive') or a hashtable @{{ status = ...; message = ... }}.");
        }
    }
}
