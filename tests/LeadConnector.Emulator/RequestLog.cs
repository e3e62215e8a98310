namespace LeadConnector.Emulator;

/// <summary>One request the API part of the emulator received (control calls under /_emulator are not recorded).</summary>
public sealed class RecordedRequest
{
    public long Sequence { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public string Method { get; init; } = "";
    /// <summary>The decoded path, e.g. <c>/conversations/conv-a001</c>.</summary>
    public string Path { get; init; } = "";
    /// <summary>The raw query string as received, including the leading '?', or empty.</summary>
    public string QueryString { get; init; } = "";
    /// <summary>Request headers (case-insensitive keys; repeated headers joined with ", ").</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    public string Body { get; init; } = "";

    // Filled in while the request runs; volatile so a test thread sees the latest values.
    private volatile int _statusCode;
    private volatile string? _fault;
    private volatile bool _processed;
    private volatile bool _dropped;

    /// <summary>The status code sent to the client; 0 when no response was sent (dropped or abandoned).</summary>
    public int StatusCode => _statusCode;
    /// <summary>Name of the injected fault, or null.</summary>
    public string? Fault { get => _fault; internal set => _fault = value; }
    private long _countedAtTicks;

    /// <summary>
    /// When the rate limiter counted the request (after the inbound half of <c>LatencyMs</c>): the time its window sees,
    /// which <see cref="ReceivedAt"/> (when the request came off the socket) is not once there is latency; null when
    /// it was not counted (a token request, no bearer).
    /// </summary>
    public DateTimeOffset? CountedAt
    {
        get { var t = Interlocked.Read(ref _countedAtTicks); return t == 0 ? null : new DateTimeOffset(t, TimeSpan.Zero); }
        internal set => Interlocked.Exchange(ref _countedAtTicks, value?.UtcTicks ?? 0);
    }

    /// <summary>True when the application logic ran (its side effects, if any, were applied).</summary>
    public bool Processed { get => _processed; internal set => _processed = value; }

    /// <summary>Called when the response starts; ignored once the connection was dropped (nothing reaches the client).</summary>
    internal void ResponseStarted(int statusCode)
    {
        if (!_dropped) _statusCode = statusCode;
    }

    /// <summary>The emulator aborted the connection; a status already sent (truncated body) is kept.</summary>
    internal void MarkDropped() => _dropped = true;

    /// <summary>Convenience: a request header value or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

    public override string ToString() => $"#{Sequence} {Method} {Path}{QueryString} -> {StatusCode}{(Fault is null ? "" : $" [{Fault}]")}";
}

/// <summary>Thread-safe log of recorded requests, in arrival order.</summary>
public sealed class RequestLog
{
    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _items = [];
    private long _sequence;

    public int Count { get { lock (_gate) return _items.Count; } }

    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (_gate) return [.. _items];
    }

    public void Clear()
    {
        lock (_gate)
        {
            _items.Clear();
            _sequence = 0;
        }
    }

    /// <summary>Records a request at arrival; status, fault and processed flag are filled in as it runs.</summary>
    internal RecordedRequest Add(DateTimeOffset receivedAt, string method, string path, string queryString,
        IReadOnlyDictionary<string, string> headers, string body)
    {
        lock (_gate)
        {
            var record = new RecordedRequest
            {
                Sequence = ++_sequence,
                ReceivedAt = receivedAt,
                Method = method,
                Path = path,
                QueryString = queryString,
                Headers = headers,
                Body = body,
            };
            _items.Add(record);
            return record;
        }
    }
}
