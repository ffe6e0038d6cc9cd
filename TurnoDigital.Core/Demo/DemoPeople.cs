namespace TurnoDigital.Core.Demo;

/// <summary>
/// The people of simulated and demo data: obviously fake names, and document and phone numbers from one reserved block so
/// nothing demo ever reaches a real person. Documents are CC 99555xxxxx (not issued by the Registraduría); phones are
/// +57 300 555 xxxx. The Cloud API sender refuses to message that block (<see cref="IsDemoPhone"/>).
/// </summary>
public static class DemoPeople
{
    public const string DocumentPrefix = "99555", PhonePrefix = "+57300555", WaIdPrefix = "57300555";
    public const int Count = 10_000;

    /// <summary>The demo person with a rich journey (appointments on WhatsApp, visits, ratings): the README names this document.</summary>
    public const string FeaturedDocument = "9955500001";

    static readonly string[] First = ["Ana", "Luis", "Marta", "Jorge", "Sofía", "Andrés", "Camila", "Diego", "Valentina", "Felipe", "Laura", "Mateo",
        "Paula", "Santiago", "Daniela", "Julián", "Carolina", "Tomás", "Isabela", "Nicolás"];
    static readonly string[] Last = ["Prueba", "Ejemplo", "Ficticio", "Muestra", "Simulado", "Ensayo"];

    /// <summary>Person <paramref name="i"/> (0 ≤ i &lt; <see cref="Count"/>); person 1 is <see cref="FeaturedDocument"/>.</summary>
    public static string Document(int i) => DocumentPrefix + (i % Count).ToString("00000");
    public static string Phone(int i) => PhonePrefix + (i % Count).ToString("0000");
    public static string Name(int i) => $"{First[i % First.Length]} Demo {Last[i / First.Length % Last.Length]}";
    public static string Email(int i) => $"demo{i % Count}@example.invalid";

    /// <summary>E.164 ("+57300555…") or a wa_id ("57300555…").</summary>
    public static bool IsDemoPhone(string? phone) => phone is not null
        && (phone.StartsWith(PhonePrefix, StringComparison.Ordinal) || phone.StartsWith(WaIdPrefix, StringComparison.Ordinal)) && phone.TrimStart('+').Length == 12;

    public static bool IsDemoDocument(string? number) => number is { Length: 10 } && number.StartsWith(DocumentPrefix, StringComparison.Ordinal);
}
