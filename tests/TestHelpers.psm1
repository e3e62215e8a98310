# Shared helpers for the Pester 5 tests (and for build.ps1 -Task Demo).
#
# Builds nothing: './build.ps1 -Task Build' must already have written bin/LeadConnector.dll, and the emulator
# must already be built in Debug ('dotnet build tests/LeadConnector.Emulator -c Debug'; build.ps1 -Task Test does
# both). Works on Windows PowerShell 5.1 and PowerShell 7.

Set-StrictMode -Version Latest

$script:RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..')).ProviderPath
$script:EmulatorProject = Join-Path $script:RepoRoot 'tests/LeadConnector.Emulator'
# The configuration 'dotnet run' uses by default; build.ps1 builds the emulator in the same one.
$script:EmulatorConfiguration = 'Debug'
$script:EmulatorProcess = $null
$script:EmulatorUri = $null
$script:EmulatorLogDir = $null

# The seeded tenants (LeadConnector.Emulator.Seed).
$script:Tenants = @{
    alpha = @{ LocationId = 'loc-alpha'; Token = 'pit-alpha-0123456789abcdef' }
    beta  = @{ LocationId = 'loc-beta'; Token = 'pit-beta-0123456789abcdef' }
}

function Get-RepoRoot {
    $script:RepoRoot
}

function Import-LeadConnector {
    <# Imports the built module into the global scope (so the test file sees the cmdlets). #>
    [CmdletBinding()]
    param()
    $dll = Join-Path $script:RepoRoot 'bin/LeadConnector.dll'
    if (-not (Test-Path -LiteralPath $dll)) {
        throw "'$dll' does not exist. Run './build.ps1 -Task Build' before the Pester tests."
    }
    Import-Module -Name (Join-Path $script:RepoRoot 'LeadConnector.psd1') -Force -Global -ErrorAction Stop
}

function Get-TestToken {
    [CmdletBinding()]
    param([ValidateSet('alpha', 'beta')] [string] $Tenant = 'alpha')
    $script:Tenants[$Tenant].Token
}

function Get-EmulatorUri {
    if (-not $script:EmulatorUri) { throw 'The emulator is not running: call Start-Emulator first.' }
    $script:EmulatorUri
}

function Get-FreeTcpPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try {
        ([System.Net.IPEndPoint] $listener.LocalEndpoint).Port
    }
    finally {
        $listener.Stop()
    }
}

function Stop-ProcessTree {
    <# Ends a process and its children ('dotnet run' starts the app as a child process). #>
    param([Parameter(Mandatory)] [System.Diagnostics.Process] $Process)
    if ($Process.HasExited) { return }
    $killTree = $Process.GetType().GetMethod('Kill', [Type[]] @([bool]))
    if ($null -ne $killTree) {
        # .NET Core 3.0 and later (PowerShell 7).
        $Process.Kill($true)
    }
    else {
        # .NET Framework (Windows PowerShell 5.1, so Windows): no Kill(bool); taskkill /T ends the children too.
        $processId = $Process.Id
        $null = & taskkill.exe /PID $processId /T /F
    }
    $null = $Process.WaitForExit(15000)
}

function Start-Emulator {
    <#
    Starts the emulator once as a background process on a free loopback port (or -Port), waits until
    GET /_emulator/health answers, and returns its base URI (http://127.0.0.1:<port>).
    #>
    [CmdletBinding()]
    param(
        [int] $Port = 0,
        [int] $TimeoutSec = 60
    )
    if ($null -ne $script:EmulatorProcess -and -not $script:EmulatorProcess.HasExited) {
        return $script:EmulatorUri
    }
    if ($Port -eq 0) { $Port = Get-FreeTcpPort }
    $uri = 'http://127.0.0.1:{0}' -f $Port

    $script:EmulatorLogDir = Join-Path ([System.IO.Path]::GetTempPath()) ('lc-emulator-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $script:EmulatorLogDir -Force
    $stdout = Join-Path $script:EmulatorLogDir 'stdout.log'
    $stderr = Join-Path $script:EmulatorLogDir 'stderr.log'

    # One string, so a repository path with spaces stays one argument on 5.1 and 7.
    $arguments = 'run --project "{0}" --configuration {1} --no-build --no-launch-profile -- --urls {2}' -f $script:EmulatorProject, $script:EmulatorConfiguration, $uri
    $process = Start-Process -FilePath 'dotnet' -ArgumentList $arguments -PassThru -NoNewWindow `
        -RedirectStandardOutput $stdout -RedirectStandardError $stderr
    $null = $process.Handle # keeps the handle so ExitCode stays readable after the process ends
    $script:EmulatorProcess = $process
    $script:EmulatorUri = $uri

    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while ($true) {
        if ($process.HasExited) {
            $exitCode = $process.ExitCode
            $log = Get-EmulatorLog
            Stop-Emulator
            throw ("The emulator exited with code {0} before it answered on {1}. Was it built (dotnet build tests/LeadConnector.Emulator -c {2})?`n{3}" -f $exitCode, $uri, $script:EmulatorConfiguration, $log)
        }
        try {
            $null = Invoke-RestMethod -Uri ($uri + '/_emulator/health') -Method Get -TimeoutSec 5 -UseBasicParsing -ErrorAction Stop
            return $uri
        }
        catch {
            if ([DateTime]::UtcNow -gt $deadline) {
                $log = Get-EmulatorLog
                Stop-Emulator
                throw ("The emulator did not answer GET {0}/_emulator/health within {1} s.`n{2}" -f $uri, $TimeoutSec, $log)
            }
            Start-Sleep -Milliseconds 250
        }
    }
}

function Get-EmulatorLog {
    if (-not $script:EmulatorLogDir) { return '' }
    $text = foreach ($name in 'stdout.log', 'stderr.log') {
        $file = Join-Path $script:EmulatorLogDir $name
        if (Test-Path -LiteralPath $file) {
            "--- $name ---"
            Get-Content -LiteralPath $file -ErrorAction SilentlyContinue | Select-Object -Last 40
        }
    }
    ($text | Out-String).Trim()
}

function Stop-Emulator {
    [CmdletBinding()]
    param()
    $process = $script:EmulatorProcess
    $script:EmulatorProcess = $null
    $script:EmulatorUri = $null
    if ($null -ne $process) {
        try {
            Stop-ProcessTree -Process $process
        }
        finally {
            $process.Dispose()
        }
    }
    if ($script:EmulatorLogDir) {
        Remove-Item -LiteralPath $script:EmulatorLogDir -Recurse -Force -ErrorAction SilentlyContinue
        $script:EmulatorLogDir = $null
    }
}

function Invoke-EmulatorApi {
    param(
        [Parameter(Mandatory)] [string] $Method,
        [Parameter(Mandatory)] [string] $Path,
        [string] $Body
    )
    $request = @{
        Uri             = (Get-EmulatorUri) + $Path
        Method          = $Method
        UseBasicParsing = $true
        TimeoutSec      = 30
        ErrorAction     = 'Stop'
    }
    if ($PSBoundParameters.ContainsKey('Body')) {
        $request.Body = $Body
        $request.ContentType = 'application/json; charset=utf-8'
    }
    Invoke-RestMethod @request
}

function Reset-Emulator {
    <# Restores the seeded data (and, by the emulator's contract, clears faults and the request log). #>
    [CmdletBinding()]
    param()
    $null = Invoke-EmulatorApi -Method Post -Path '/_emulator/reset'
}

function Set-EmulatorFault {
    <# Adds one fault rule (POST /_emulator/faults). Only the parameters given are sent. #>
    [CmdletBinding()]
    param(
        [string] $Method,
        [string] $PathPrefix,
        [Parameter(Mandatory)]
        [ValidateSet('Status', 'RateLimited', 'Delay', 'DropConnection', 'TruncatedBody', 'Garbage')]
        [string] $Kind,
        [int] $Count,
        [double] $Probability,
        [ValidateSet('BeforeProcessing', 'AfterProcessing')]
        [string] $Stage,
        [int] $StatusCode,
        [string] $Body,
        [string] $ContentType,
        [hashtable] $Headers,
        [int] $DelayMs
    )
    $rule = [ordered]@{}
    foreach ($name in 'Method', 'PathPrefix', 'Kind', 'Count', 'Probability', 'Stage', 'StatusCode', 'Body', 'ContentType', 'Headers', 'DelayMs') {
        if ($PSBoundParameters.ContainsKey($name)) {
            # camelCase: the ASP.NET Core web defaults (and case-insensitive readers) accept it.
            $jsonName = $name.Substring(0, 1).ToLowerInvariant() + $name.Substring(1)
            $rule[$jsonName] = $PSBoundParameters[$name]
        }
    }
    if ($rule.Contains('method')) { $rule['method'] = ([string] $rule['method']).ToUpperInvariant() }
    $json = ConvertTo-Json -InputObject $rule -Depth 5 -Compress
    $null = Invoke-EmulatorApi -Method Post -Path '/_emulator/faults' -Body $json
}

function Get-EmulatorRequests {
    <#
    The emulator's request log (GET /_emulator/requests), one object per request:
    sequence, method, path, queryString, headers, body, statusCode, fault, processed.
    The emulator's own /_emulator routes are left out unless -IncludeEmulatorRoutes.
    #>
    [CmdletBinding()]
    param(
        [string] $Method,
        [string] $PathPrefix,
        [switch] $IncludeEmulatorRoutes
    )
    $response = Invoke-EmulatorApi -Method Get -Path '/_emulator/requests'
    if ($null -ne $response -and $null -ne $response.PSObject.Properties['requests']) {
        $response = $response.requests
    }
    # Windows PowerShell 5.1 returns a JSON array as one object: enumerate it here.
    foreach ($item in @($response)) {
        if ($null -eq $item -or $item -is [string]) { continue }
        $path = [string] $item.path
        if (-not $IncludeEmulatorRoutes -and $path.StartsWith('/_emulator', [System.StringComparison]::OrdinalIgnoreCase)) { continue }
        if ($Method -and [string] $item.method -ne $Method) { continue }
        if ($PathPrefix -and -not $path.StartsWith($PathPrefix, [System.StringComparison]::OrdinalIgnoreCase)) { continue }
        $item
    }
}

function Wait-Until {
    <#
    Waits for a state, never for a fixed time (a busy machine makes every fixed wait too short some day): runs
    -Condition every 100 ms until it returns $true, and throws, naming -WaitingFor, after -TimeoutSec (default 60 s,
    far more than any loaded machine needs).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [scriptblock] $Condition,
        [Parameter(Mandatory)] [string] $WaitingFor,
        [int] $TimeoutSec = 60
    )
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while (-not (& $Condition)) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "Waited $TimeoutSec s for $WaitingFor; it did not happen." }
        Start-Sleep -Milliseconds 100
    }
}

function Invoke-EmulatorProbe {
    <#
    Sends GET -Path with the alpha token straight to the emulator (no module code) and returns once it is answered.
    Under a Delay fault that also holds it, the probe is answered only after the delay of every request that arrived
    before it has run out: a request whose client stayed would have been processed by then. So this is how long to wait
    before asserting that nothing was left running, whatever the machine's speed.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Path)
    $request = @{
        Uri             = (Get-EmulatorUri) + $Path
        Method          = 'Get'
        Headers         = @{ Authorization = 'Bearer ' + (Get-TestToken -Tenant alpha); Version = '2021-07-28' }
        UseBasicParsing = $true
        TimeoutSec      = 60
        ErrorAction     = 'Stop'
    }
    $null = Invoke-RestMethod @request
}

function Set-EmulatorRateLimit {
    <# Changes the emulator's rate limit (PUT /_emulator/ratelimit); Reset-Emulator restores the defaults. #>
    [CmdletBinding()]
    param(
        [int] $Max,
        [int] $IntervalMs
    )
    $body = @{}
    if ($PSBoundParameters.ContainsKey('Max')) { $body.max = $Max }
    if ($PSBoundParameters.ContainsKey('IntervalMs')) { $body.intervalMs = $IntervalMs }
    $null = Invoke-EmulatorApi -Method Put -Path '/_emulator/ratelimit' -Body (ConvertTo-Json -Compress -InputObject $body)
}

function Get-RequestHeader {
    <# One header of a logged request, as a string (several values are joined with ', '). #>
    param(
        [Parameter(Mandatory)] $Request,
        [Parameter(Mandatory)] [string] $Name
    )
    $headers = $Request.headers
    if ($null -eq $headers) { return $null }
    $values = $null
    if ($headers -is [System.Collections.IDictionary]) {
        foreach ($key in $headers.Keys) { if ($key -eq $Name) { $values = $headers[$key] } }
    }
    elseif ($headers -is [System.Array]) {
        # [{ name/key, value/values }, ...]
        foreach ($entry in $headers) {
            $entryName = $null
            foreach ($p in 'name', 'key') { if ($null -ne $entry.PSObject.Properties[$p]) { $entryName = $entry.$p } }
            if ($entryName -eq $Name) {
                foreach ($p in 'value', 'values') { if ($null -ne $entry.PSObject.Properties[$p]) { $values = $entry.$p } }
            }
        }
    }
    else {
        $property = $headers.PSObject.Properties[$Name]
        if ($null -ne $property) { $values = $property.Value }
    }
    if ($null -eq $values) { return $null }
    (@($values) | ForEach-Object { [string] $_ }) -join ', '
}

function Get-RequestBody {
    <# The JSON body of a logged request, parsed. #>
    param([Parameter(Mandatory)] $Request)
    $body = $Request.body
    if ($null -eq $body) { return $null }
    if ($body -is [string]) {
        if ([string]::IsNullOrWhiteSpace($body)) { return $null }
        return ($body | ConvertFrom-Json)
    }
    $body
}

function Connect-TestLc {
    <#
    Connect-Lc to the running emulator with a seeded tenant's token; returns the connection (-PassThru).
    -LocationId '' connects with no default location.
    -Option adds Connect-Lc parameters, e.g. @{ MaxRetries = 0; TimeoutSec = 1 }.
    It connects with -SkipValidation -Quiet (no check request, no greeting), unless -Validate is given.
    #>
    [CmdletBinding()]
    param(
        [ValidateSet('alpha', 'beta')] [string] $Tenant = 'alpha',
        [string] $LocationId,
        [hashtable] $Option = @{},
        [switch] $Validate
    )
    $t = $script:Tenants[$Tenant]
    if (-not $Validate) { $Option = @{ SkipValidation = $true; Quiet = $true } + $Option }
    if (-not $PSBoundParameters.ContainsKey('LocationId')) { $LocationId = $t.LocationId }
    $token = ConvertTo-SecureString -String $t.Token -AsPlainText -Force
    # -LocationId '' connects with no default location.
    if ($LocationId) { $Option = $Option + @{ LocationId = $LocationId } }
    Connect-Lc -AccessToken $token -BaseUri (Get-EmulatorUri) -PassThru @Option
}

function New-TestLocation {
    <#
    Adds a location with a token of its own to the emulator (POST /_emulator/locations) and connects to it.
    The module paces per token and location for the whole process, so a test that causes a rate-limit pause or
    spends the daily quota uses a location of its own: nothing it does can leak into the next test.
    Returns LocationId, Token, Connection and the id of its first conversation (ConversationId).
    #>
    [CmdletBinding()]
    param(
        [ValidateRange(0, 1000)] [int] $Conversations = 3,
        [hashtable] $Option = @{}
    )
    $locationId = 'loc-' + [guid]::NewGuid().ToString('N').Substring(0, 12)
    $body = ConvertTo-Json -Compress -InputObject @{ locationId = $locationId; conversations = $Conversations }
    $created = Invoke-EmulatorApi -Method Post -Path '/_emulator/locations' -Body $body
    $token = ConvertTo-SecureString -String $created.token -AsPlainText -Force
    $connection = Connect-Lc -AccessToken $token -BaseUri (Get-EmulatorUri) -LocationId $created.locationId -PassThru -SkipValidation -Quiet @Option
    [pscustomobject]@{
        LocationId     = $created.locationId
        Token          = $created.token
        Connection     = $connection
        ConversationId = '{0}-conv-001' -f $created.locationId
    }
}

# The emulator's OAuth app and agency (LeadConnector.Emulator.Seed).
$script:OAuth = @{
    ClientId     = 'lc-emulator-client'
    ClientSecret = 'lc-emulator-secret-0123456789'
    AgencyToken  = 'agency-acme-0123456789abcdef'
    CompanyId    = 'company-acme'
}

function Get-TestOAuth {
    <# The emulator's OAuth client id and secret, agency token and company id. #>
    [pscustomobject]$script:OAuth
}

function New-EmulatorRefreshToken {
    <# Mints a fresh, unused refresh token for a location (POST /_emulator/oauth/refresh-tokens). #>
    param([string] $LocationId = 'loc-alpha')
    $body = ConvertTo-Json -Compress -InputObject @{ locationId = $LocationId }
    (Invoke-EmulatorApi -Method Post -Path '/_emulator/oauth/refresh-tokens' -Body $body).refreshToken
}

function Get-EmulatorOAuth {
    <# The emulator's OAuth counters: refreshCount, failedRefreshCount, locationTokenCount, accessTokenLifetimeSeconds. #>
    Invoke-EmulatorApi -Method Get -Path '/_emulator/oauth'
}

function Set-EmulatorOAuth {
    <# Sets how long the access tokens the emulator issues live. #>
    param([Parameter(Mandatory)] [double] $AccessTokenLifetimeSeconds)
    $body = ConvertTo-Json -Compress -InputObject @{ accessTokenLifetimeSeconds = $AccessTokenLifetimeSeconds }
    $null = Invoke-EmulatorApi -Method Put -Path '/_emulator/oauth' -Body $body
}

function Invoke-EmulatorTokenExpiry {
    <# Makes every access token the emulator issued so far expire now (their next use gets a 401). #>
    $null = Invoke-EmulatorApi -Method Post -Path '/_emulator/oauth/expire-access-tokens'
}

function Initialize-TestSession {
    <# For a test file's BeforeAll: imports the built module and starts the emulator; returns its base URI. #>
    [CmdletBinding()]
    param()
    Import-LeadConnector
    Start-Emulator
}

function Complete-TestSession {
    <# For a test file's AfterAll: drops the session and stops the emulator, whatever state the file left. #>
    [CmdletBinding()]
    param()
    if (Get-Command -Name Disconnect-Lc -ErrorAction SilentlyContinue) { Disconnect-Lc }
    Stop-Emulator
}

function Assert-LcError {
    <# Asserts that exactly one error was collected (-ErrorVariable), with the given error id and, if given, category. #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)]
        [AllowNull()]
        [AllowEmptyCollection()]
        [object[]] $ErrorRecord,

        [Parameter(Mandatory)]
        [string] $ErrorId,

        [string] $Category
    )
    @($ErrorRecord).Count | Should -Be 1 -Because 'exactly one error was expected'
    $ErrorRecord[0].FullyQualifiedErrorId | Should -BeLike ($ErrorId + '*')
    if ($Category) { [string] $ErrorRecord[0].CategoryInfo.Category | Should -Be $Category }
}

Export-ModuleMember -Function @(
    'Initialize-TestSession'
    'Complete-TestSession'
    'Assert-LcError'
    'Get-RepoRoot'
    'Import-LeadConnector'
    'Get-TestToken'
    'Get-EmulatorUri'
    'Get-FreeTcpPort'
    'Stop-ProcessTree'
    'Start-Emulator'
    'Stop-Emulator'
    'Get-EmulatorLog'
    'Reset-Emulator'
    'Set-EmulatorFault'
    'Get-EmulatorRequests'
    'Wait-Until'
    'Invoke-EmulatorProbe'
    'Set-EmulatorRateLimit'
    'Get-RequestHeader'
    'Get-RequestBody'
    'Connect-TestLc'
    'New-TestLocation'
    'Get-TestOAuth'
    'New-EmulatorRefreshToken'
    'Get-EmulatorOAuth'
    'Set-EmulatorOAuth'
    'Invoke-EmulatorTokenExpiry'
)
