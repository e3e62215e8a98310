namespace LeadConnector.Emulator;

/// <summary>
/// Console entry point: <c>dotnet run --project tests/LeadConnector.Emulator -- [--urls http://127.0.0.1:5080]</c>.
/// Prints the base URI, the seeded tokens and locations, then "Emulator listening on URL", and runs until Ctrl+C.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        string url;
        try
        {
            url = ParseArgs(args) ?? EmulatorServer.DefaultUrl;
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            await Console.Error.WriteLineAsync("Usage: LeadConnector.Emulator [--urls http://127.0.0.1:PORT]");
            return 2;
        }

        EmulatorServer server;
        try
        {
            server = await EmulatorServer.StartAsync(new EmulatorOptions { Url = url, Quiet = false }, standalone: true, CancellationToken.None);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }
        catch (IOException ex)
        {
            await Console.Error.WriteLineAsync($"Could not bind {url}: {ex.Message}");
            return 1;
        }

        await using (server)
        {
            var baseUri = server.BaseUri.ToString().TrimEnd('/');
            Console.WriteLine("LeadConnector API emulator");
            Console.WriteLine($"  Base URI:  {baseUri}");
            Console.WriteLine($"  Location:  {Seed.AlphaLocation,-10} token: {Seed.AlphaToken}  ({server.State.Data.ConversationCount(Seed.AlphaLocation)} conversations)");
            Console.WriteLine($"  Location:  {Seed.BetaLocation,-10} token: {Seed.BetaToken}  ({server.State.Data.ConversationCount(Seed.BetaLocation)} conversations)");
            Console.WriteLine($"  Agency:    {Seed.CompanyId,-10} token: {Seed.AgencyToken}");
            Console.WriteLine($"  OAuth:     client {Seed.OAuthClientId} / {Seed.OAuthClientSecret}, refresh token {Seed.AlphaRefreshToken}");
            Console.WriteLine($"  Control:   {baseUri}/_emulator/{{health,reset,faults,requests,ratelimit,locations,settings,oauth}}");
            Console.WriteLine($"Emulator listening on {baseUri}");
            await server.WaitForShutdownAsync();
        }
        return 0;
    }

    /// <summary>Returns the --urls value (--urls X or --urls=X), or null when not given.</summary>
    private static string? ParseArgs(string[] args)
    {
        string? url = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg.StartsWith("--urls=", StringComparison.Ordinal)) url = arg["--urls=".Length..];
            else if (arg == "--urls" && i + 1 < args.Length) url = args[++i];
            else throw new ArgumentException($"Unknown argument '{arg}'.");
        }
        if (url is not null && url.Contains(';'))
            throw new ArgumentException("Only one URL can be given.");
        return url;
    }
}
