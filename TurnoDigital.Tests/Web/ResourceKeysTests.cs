using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace TurnoDigital.Tests.Web;

/// <summary>
/// Scans every .razor/.cs of the Web and Core projects for the resource keys they use (localizer indexers,
/// domain-error codes, key literals) and checks each is in the es-CO (neutral) and the en resource files,
/// with the same placeholders in both languages.
/// </summary>
public partial class ResourceKeysTests
{
    static readonly string Root = FindRoot();

    [Fact]
    public void Every_key_in_the_code_has_both_languages_with_the_same_placeholders()
    {
        var (problems, used) = ResourceKeyCheck.Run(Root, "TurnoDigital.Web", "TurnoDigital.Core");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        // A real scan: the Web screens use hundreds of keys and Core throws ~100 error codes.
        Assert.True(used.Count(k => k.Project == "TurnoDigital.Web") > 700, $"only {used.Count} keys found");
        Assert.True(used.Count(k => k.Project == "TurnoDigital.Core") > 80, $"only {used.Count(k => k.Project == "TurnoDigital.Core")} error codes found");
    }

    [Fact]
    public void The_scan_catches_a_missing_key_a_missing_language_and_different_placeholders()
    {
        var dir = Directory.CreateTempSubdirectory("resx-check");
        try
        {
            var web = Directory.CreateDirectory(Path.Combine(dir.FullName, "App", "Resources"));
            File.WriteAllText(Path.Combine(web.FullName, "DemoText.resx"), Resx(("Demo.Hello", "Hola {0}"), ("Demo.Only", "Solo español"), ("Demo.Count", "{0:N0} personas")));
            File.WriteAllText(Path.Combine(web.FullName, "DemoText.en.resx"), Resx(("Demo.Hello", "Hello"), ("Demo.Count", "{0:N1} people")));
            File.WriteAllText(Path.Combine(dir.FullName, "App", "Page.razor"),
                "@inject IStringLocalizer<DemoText> L\n<p>@L[\"Demo.Hello\", name]</p><p>@L[\"Demo.Missing\"]</p>\n@code { void F() => throw new DomainException(\"Demo.Only\"); }\n");
            var (problems, used) = ResourceKeyCheck.Run(dir.FullName, "App");
            Assert.Equal(3, used.Count);
            Assert.Contains(problems, p => p.Contains("Demo.Missing") && p.Contains("missing"));
            Assert.Contains(problems, p => p.Contains("Demo.Only") && p.Contains("en"));
            Assert.Contains(problems, p => p.Contains("Demo.Hello") && p.Contains("placeholders"));
            Assert.Contains(problems, p => p.Contains("Demo.Count") && p.Contains("placeholders"));
        }
        finally { dir.Delete(true); }
    }

    static string Resx(params (string Key, string Value)[] entries) =>
        new XDocument(new XElement("root", entries.Select(e =>
            new XElement("data", new XAttribute("name", e.Key), new XElement("value", e.Value))))).ToString();

    static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TurnoDigital.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("TurnoDigital.sln not found");
    }
}

/// <summary>The check itself, runnable on any folder (the tests prove it fails on a broken one).</summary>
public static partial class ResourceKeyCheck
{
    public sealed record Use(string Project, string File, string Key, string? TextType);

    public static (List<string> Problems, List<Use> Used) Run(string root, params string[] projects)
    {
        var problems = new List<string>();
        // Resource sets: base name (e.g. KioskText, DomainErrors) -> neutral and English entries.
        var sets = new Dictionary<string, (Dictionary<string, string> Es, Dictionary<string, string> En)>();
        foreach (var project in projects)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, project), "*.resx", SearchOption.AllDirectories))
            {
                if (IsBuildOutput(file) || file.EndsWith(".en.resx", StringComparison.Ordinal)) continue;
                var name = Path.GetFileNameWithoutExtension(file);
                var english = Path.ChangeExtension(file, null) + ".en.resx";
                if (!File.Exists(english)) { problems.Add($"{name}: no English file {Path.GetFileName(english)}"); continue; }
                sets[name] = (Read(file), Read(english));
            }
        }
        foreach (var (name, (es, en)) in sets)
        {
            foreach (var key in es.Keys.Except(en.Keys)) problems.Add($"{name}/{key}: no en text");
            foreach (var key in en.Keys.Except(es.Keys)) problems.Add($"{name}/{key}: no es-CO text");
            foreach (var key in es.Keys.Intersect(en.Keys))
                if (Placeholders(es[key]) != Placeholders(en[key]))
                    problems.Add($"{name}/{key}: placeholders differ: es-CO «{Placeholders(es[key])}», en «{Placeholders(en[key])}»");
        }
        var prefixes = sets.Values.SelectMany(s => s.Es.Keys).Select(k => k[..Math.Max(0, k.IndexOf('.'))]).Where(p => p.Length > 0).ToHashSet();

        var used = new List<Use>();
        foreach (var project in projects)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, project), "*.*", SearchOption.AllDirectories)
                         .Where(f => (f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal)) && !IsBuildOutput(f)))
            {
                var text = File.ReadAllText(file);
                var relative = Path.GetRelativePath(root, file);
                var types = TextTypes().Matches(text).Select(m => m.Groups[1].Value).ToHashSet();
                var seen = new HashSet<string>();
                foreach (Match m in Indexer().Matches(text))
                    if (seen.Add(m.Groups[1].Value)) used.Add(new(project, relative, m.Groups[1].Value, types.Count > 0 ? string.Join("|", types) : null));
                foreach (Match m in Literal().Matches(text))
                {
                    var key = m.Groups[1].Value;
                    if (prefixes.Contains(key[..key.IndexOf('.')]) && seen.Add(key)) used.Add(new(project, relative, key, null));
                }
            }
        }
        foreach (var use in used)
        {
            var candidates = use.TextType is null ? sets.Keys.ToList() : use.TextType.Split('|').Where(sets.ContainsKey).ToList();
            if (!candidates.Any(c => sets[c].Es.ContainsKey(use.Key)))
                problems.Add($"{use.File}: key {use.Key} is missing in {(use.TextType ?? "every resource file")}");
        }
        return (problems, used);
    }

    static bool IsBuildOutput(string path) =>
        path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") || path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}");

    static Dictionary<string, string> Read(string file) =>
        XDocument.Load(file).Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");

    /// <summary>The sorted placeholders of a format string, e.g. "{0:N0} {1}" → "{0:N0} {1}"; escaped braces do not count.</summary>
    static string Placeholders(string format) =>
        string.Join(" ", Placeholder().Matches(format.Replace("{{", "").Replace("}}", "")).Select(m => m.Value).Order(StringComparer.Ordinal));

    [GeneratedRegex(@"\{\d+(,-?\d+)?(:[^{}]*)?\}")]
    private static partial Regex Placeholder();

    // L["Key"], L["Key", args], AdminTexts["Key"], Localizer["Key"]
    [GeneratedRegex(@"\b\w*(?:L|Texts|Localizer)\[\s*""([^""]+)""")]
    private static partial Regex Indexer();

    // "Area.Key" literals: domain-error codes and keys kept in tables; only known prefixes count.
    // Not razor attribute values (MaxLength="Counter.NameMax") nor doc comments (cref="Ticket.ConfirmArrival").
    [GeneratedRegex(@"(?<!=)""([A-Z][A-Za-z]*\.[A-Z][A-Za-z0-9]*)""")]
    private static partial Regex Literal();

    [GeneratedRegex(@"(?:IStringLocalizer<|Texts\.Of<)(\w+)>")]
    private static partial Regex TextTypes();
}
