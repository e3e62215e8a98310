using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using LeadConnector.Commands;

namespace LeadConnector.Tests.Infrastructure
{
    /// <summary>A [Parameter] attribute as declared (one per parameter set).</summary>
    internal sealed record ParameterDecl(string Name, Type Type, string Set, bool Mandatory, int Position, bool FromPipeline, bool ByPropertyName);

    /// <summary>
    /// Cmdlet metadata read with CustomAttributeData: the stub System.Management.Automation returns empty attribute
    /// instances at run time, but the declared constructor arguments and named arguments are all in the metadata.
    /// </summary>
    internal static class CmdletMetadata
    {
        public const string AllSets = "__AllParameterSets";

        public static IReadOnlyList<Type> CmdletTypes() =>
            typeof(LcCmdlet).Assembly.GetTypes().Where(t => !t.IsAbstract && typeof(LcCmdlet).IsAssignableFrom(t)).OrderBy(t => t.Name).ToList();

        public static CustomAttributeData? Attr(MemberInfo m, string name) =>
            m.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.Name == name);

        public static IEnumerable<CustomAttributeData> Attrs(MemberInfo m, string name) =>
            m.GetCustomAttributesData().Where(a => a.AttributeType.Name == name);

        public static object? Named(CustomAttributeData a, string name) =>
            a.NamedArguments.Where(n => n.MemberName == name).Select(n => n.TypedValue.Value).FirstOrDefault();

        public static string CmdletName(Type t)
        {
            var a = Attr(t, "CmdletAttribute") ?? throw new InvalidOperationException(t.Name + " has no [Cmdlet]");
            return $"{a.ConstructorArguments[0].Value}-{a.ConstructorArguments[1].Value}";
        }

        public static string? DefaultSet(Type t) => Named(Attr(t, "CmdletAttribute")!, "DefaultParameterSetName") as string;
        public static bool SupportsShouldProcess(Type t) => Named(Attr(t, "CmdletAttribute")!, "SupportsShouldProcess") as bool? ?? false;
        public static int ConfirmImpact(Type t) => Named(Attr(t, "CmdletAttribute")!, "ConfirmImpact") as int? ?? 2;

        public static IEnumerable<Type> OutputTypes(Type t) =>
            Attrs(t, "OutputTypeAttribute").SelectMany(a => a.ConstructorArguments)
                .SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> many ? many.Select(m => m.Value) : new[] { arg.Value })
                .OfType<Type>();

        public static IReadOnlyList<ParameterDecl> Parameters(Type t) =>
            t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .SelectMany(p => Attrs(p, "ParameterAttribute").Select(a => new ParameterDecl(
                    p.Name, p.PropertyType,
                    Named(a, "ParameterSetName") as string ?? AllSets,
                    Named(a, "Mandatory") as bool? ?? false,
                    Named(a, "Position") as int? ?? int.MinValue,
                    Named(a, "ValueFromPipeline") as bool? ?? false,
                    Named(a, "ValueFromPipelineByPropertyName") as bool? ?? false)))
                .ToList();

        public static string[] Aliases(Type t, string property)
        {
            var a = Attr(t.GetProperty(property)!, "AliasAttribute");
            if (a == null) return Array.Empty<string>();
            return ((IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).Select(v => (string)v.Value!).ToArray();
        }

        public static string[] ValidateSet(Type t, string property)
        {
            var a = Attr(t.GetProperty(property)!, "ValidateSetAttribute");
            if (a == null) return Array.Empty<string>();
            return ((IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).Select(v => (string)v.Value!).ToArray();
        }

        public static string RepoRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "LeadConnector.psd1"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("repo root not found");
        }
    }
}
