using System.Diagnostics.CodeAnalysis;

namespace LeadConnector.Emulator;

/// <summary>What an injected fault does to a request.</summary>
public enum FaultKind
{
    /// <summary>Respond StatusCode with Body / ContentType / Headers.</summary>
    Status,
    /// <summary>A 429 with the rate-limit headers (Remaining 0) and Retry-After when enabled.</summary>
    RateLimited,
    /// <summary>Wait DelayMs (cancelled when the client goes away), then continue normally.</summary>
    Delay,
    /// <summary>Abort the connection without any response.</summary>
    DropConnection,
    /// <summary>200 application/json headers with the full Content-Length, half of the body, then abort.</summary>
    TruncatedBody,
    /// <summary>200 with Body as-is and ContentType (default application/json).</summary>
    Garbage,
}

/// <summary>When a fault acts relative to the application logic.</summary>
public enum FaultStage
{
    /// <summary>The application never sees the request: no side effects.</summary>
    BeforeProcessing,
    /// <summary>The application runs and its side effects apply, then the response is replaced, delayed or dropped.</summary>
    AfterProcessing,
}

/// <summary>One fault-injection rule. Matches on Method (case-insensitive) and PathPrefix when given.</summary>
public sealed class FaultRule
{
    private string? _name;

    public string? Method { get; set; }
    public string? PathPrefix { get; set; }
    public FaultKind Kind { get; set; }
    /// <summary>Fire for the next Count matching requests; null = no limit.</summary>
    public int? Count { get; set; }
    /// <summary>Chance (0..1) that a matching request fires the rule, drawn from the plan's seeded Random.</summary>
    public double Probability { get; set; } = 1;
    public FaultStage Stage { get; set; } = FaultStage.BeforeProcessing;
    /// <summary>Status code for <see cref="FaultKind.Status"/> (default 500).</summary>
    public int StatusCode { get; set; }
    public string? Body { get; set; }
    public string? ContentType { get; set; }
    public Dictionary<string, string>? Headers { get; set; }
    public int DelayMs { get; set; }

    /// <summary>Name recorded in the request log; defaults to the Kind.</summary>
    [AllowNull]
    public string Name { get => _name ?? Kind.ToString(); set => _name = value; }

    internal bool Matches(string method, string path) =>
        (string.IsNullOrEmpty(Method) || string.Equals(Method, method, StringComparison.OrdinalIgnoreCase))
        && (string.IsNullOrEmpty(PathPrefix) || path.StartsWith(PathPrefix, StringComparison.OrdinalIgnoreCase));

    internal FaultRule Clone()
    {
        var copy = (FaultRule)MemberwiseClone();
        copy.Headers = Headers is null ? null : new Dictionary<string, string>(Headers, StringComparer.OrdinalIgnoreCase);
        return copy;
    }

    internal void Validate()
    {
        if (Count < 0) throw new ArgumentOutOfRangeException(nameof(Count), Count, "Count must be >= 0 (or null for no limit).");
        if (double.IsNaN(Probability) || Probability is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(Probability), Probability, "Probability must be within 0..1.");
        if (StatusCode != 0 && StatusCode is < 100 or > 599)
            throw new ArgumentOutOfRangeException(nameof(StatusCode), StatusCode, "StatusCode must be within 100..599.");
        if (DelayMs < 0) throw new ArgumentOutOfRangeException(nameof(DelayMs), DelayMs, "DelayMs must be >= 0.");
        if (!Enum.IsDefined(Kind)) throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown fault kind.");
        if (!Enum.IsDefined(Stage)) throw new ArgumentOutOfRangeException(nameof(Stage), Stage, "Unknown fault stage.");
        ValidateHeaders();
    }

    /// <summary>Headers that cannot be applied are refused here, so a misconfigured rule never fails silently.</summary>
    private void ValidateHeaders()
    {
        if (Headers is null || Headers.Count == 0) return;
        if (Kind is FaultKind.DropConnection or FaultKind.Delay)
            throw new ArgumentException(
                $"Headers cannot be applied to a {Kind} fault: it sends no response of its own.", nameof(Headers));
        foreach (var (name, value) in Headers)
        {
            if (string.IsNullOrEmpty(name) || !name.All(IsTokenChar))
                throw new ArgumentException($"Header name '{Escape(name)}' is not a valid HTTP header name (token).", nameof(Headers));
            if (ForbiddenHeaders.Contains(name, StringComparer.OrdinalIgnoreCase))
                throw new ArgumentException($"Header '{name}' cannot be set by a fault rule: the server computes it.", nameof(Headers));
            if (value is null)
                throw new ArgumentException($"Header '{name}' has no value.", nameof(Headers));
            foreach (var ch in value)
                if (ch is '\r' or '\n' || ch == 0x7F || ch < 0x20 && ch != '\t' || ch > 0x7E)
                    throw new ArgumentException(
                        $"Header '{name}' has a value with a control or non-ASCII character ('{Escape(value)}').", nameof(Headers));
        }
    }

    private static readonly string[] ForbiddenHeaders = ["Content-Length", "Transfer-Encoding", "Connection"];

    /// <summary>RFC 9110 tchar.</summary>
    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c);

    private static string Escape(string? s) =>
        s is null ? "" : string.Concat(s.Select(c => c < 0x20 || c == 0x7F ? $"\\x{(int)c:X2}" : c.ToString()));
}

/// <summary>
/// The active fault rules, checked in order; at most one fires per request. Thread-safe.
/// Probabilities are drawn from a Random seeded with <see cref="Seed"/> (reseeded by <see cref="Clear"/>).
/// </summary>
public sealed class FaultPlan
{
    public const int DefaultSeed = 12345;

    private readonly Lock _gate = new();
    private readonly List<FaultRule> _rules = [];
    private int _seed = DefaultSeed;
    private Random _random = new(DefaultSeed);

    /// <summary>Seed of the probability draws; setting it restarts the sequence.</summary>
    public int Seed
    {
        get { lock (_gate) return _seed; }
        set { lock (_gate) { _seed = value; _random = new Random(value); } }
    }

    /// <summary>Appends a rule (a copy is stored, so the caller may reuse the instance).</summary>
    public void Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        rule.Validate();
        lock (_gate) _rules.Add(rule.Clone());
    }

    /// <summary>Removes every rule and restarts the probability sequence from <see cref="Seed"/>.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
            _random = new Random(_seed);
        }
    }

    /// <summary>The rules still active, with their remaining Count.</summary>
    public IReadOnlyList<FaultRule> Rules
    {
        get { lock (_gate) return [.. _rules.Select(r => r.Clone())]; }
    }

    /// <summary>Picks the rule that fires for a request (consuming one of its Count), or null.</summary>
    internal FaultRule? Select(string method, string path)
    {
        lock (_gate)
        {
            for (var i = 0; i < _rules.Count; i++)
            {
                var rule = _rules[i];
                if (rule.Count == 0 || !rule.Matches(method, path)) continue;
                if (rule.Probability < 1 && _random.NextDouble() >= rule.Probability) continue;
                var fired = rule.Clone();
                if (rule.Count is int remaining)
                {
                    if (remaining <= 1) _rules.RemoveAt(i);
                    else rule.Count = remaining - 1;
                }
                return fired;
            }
            return null;
        }
    }
}
