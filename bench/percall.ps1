# The PowerShell side of the per-call figures (cmdlet_vs_irm, js_sdk_ratio), run by bench/ in a fresh pwsh: imports the
# built module, connects to the emulator, and then times loops on request, one line in, one line out:
#   in:  "cmdlet <n>", "irm <n>" or "floor <n>"       out: "us_per_call=<x>"
# Each loop is the one a script writes: foreach ($i in $ids) { Get-LcConversation -Id $i }, and the same with
# Invoke-RestMethod (the same headers the module sends); the output is collected, as a script would assign it.
# "floor" is what no module can go under: per id, one call of a binary cmdlet that does nothing on the network
# (Get-LcConnection: PowerShell's own cost of invoking a cmdlet) and the same GET by a bare HttpClient sent
# synchronously, as the module sends a single call, from compiled code (no RestSharp, no engine).
param(
    [Parameter(Mandatory)] [string] $Manifest,
    [Parameter(Mandatory)] [string] $BaseUri,
    [Parameter(Mandatory)] [string] $Token,
    [Parameter(Mandatory)] [string] $LocationId,
    # A comma-separated list (pwsh -File passes one string).
    [Parameter(Mandatory)] [string] $ConversationId
)
$ErrorActionPreference = 'Stop'
$idList = @($ConversationId -split ',')
$ProgressPreference = 'SilentlyContinue'
Import-Module -Name $Manifest
$secure = ConvertTo-SecureString -String $Token -AsPlainText -Force
Connect-Lc -AccessToken $secure -BaseUri $BaseUri -LocationId $LocationId -Quiet
$headers = @{ Authorization = "Bearer $Token"; Version = '2021-07-28'; Accept = 'application/json' }
$base = $BaseUri.TrimEnd('/') + '/conversations/'
Add-Type -TypeDefinition @'
public static class LcBenchFloor
{
    private static readonly System.Net.Http.HttpClient Http = new System.Net.Http.HttpClient(new System.Net.Http.SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });
    public static string Get(string uri, string authorization)
    {
        using (var request = new System.Net.Http.HttpRequestMessage(System.Net.Http.HttpMethod.Get, uri))
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
            request.Headers.TryAddWithoutValidation("Version", "2021-07-28");
            request.Headers.TryAddWithoutValidation("Accept", "application/json");
            using (var response = Http.Send(request))
            using (var reader = new System.IO.StreamReader(response.Content.ReadAsStream()))
                return reader.ReadToEnd();
        }
    }
}
'@
$authorization = "Bearer $Token"
$sw = [System.Diagnostics.Stopwatch]::new()
[Console]::Out.WriteLine('ready')
while ($null -ne ($line = [Console]::In.ReadLine())) {
    $what, $n = $line -split ' '
    $ids = foreach ($k in 0..([int]$n - 1)) { $idList[$k % $idList.Count] }
    $sw.Restart()
    if ($what -eq 'cmdlet') {
        $out = foreach ($i in $ids) { Get-LcConversation -Id $i }
    }
    elseif ($what -eq 'irm') {
        $out = foreach ($i in $ids) { Invoke-RestMethod -Uri ($base + $i) -Headers $headers }
    }
    elseif ($what -eq 'floor') {
        $out = foreach ($i in $ids) { $null = Get-LcConnection; [LcBenchFloor]::Get($base + $i, $authorization) }
    }
    else { throw "Unknown loop '$what'." }
    $sw.Stop()
    if (@($out).Count -ne $ids.Count) { throw "$what returned $(@($out).Count) of $($ids.Count)." }
    [Console]::Out.WriteLine(('us_per_call={0}' -f ($sw.Elapsed.TotalMilliseconds * 1000 / $ids.Count).ToString('0.0', [cultureinfo]::InvariantCulture)))
}
