# Self-contained (it calls nothing of TestHelpers.psm1, whose state it cannot see). Helpers shared by the Pester tests of the contact tag, note and workflow cmdlets (Add-/Remove-LcContactTag,
# *-LcContactNote, Add-LcContactToWorkflow, Remove-LcContactFromWorkflow). Import after TestHelpers.psm1.

Set-StrictMode -Version Latest

function Invoke-LcWhatIf {
    <#
    Runs -Script in a child pwsh with the built module imported and connected to the running emulator (tenant alpha),
    and returns its text output: "What if:" lines go to the host, which only a child process lets a test read.
    #>
    param(
        [Parameter(Mandatory)] [string] $Script,
        [Parameter(Mandatory)] [string] $EmulatorUri
    )
    $pwsh = Join-Path $PSHOME 'pwsh'
    if ($IsWindows) { $pwsh += '.exe' }
    $manifest = Join-Path (Split-Path -Parent $PSScriptRoot) 'LeadConnector.psd1'
    $token = 'pit-alpha-0123456789abcdef' # the seeded tenant alpha (LeadConnector.Emulator.Seed)
    $prelude = "Import-Module '$manifest' -ErrorAction Stop; " +
        "`$null = Connect-Lc -AccessToken (ConvertTo-SecureString -String '$token' -AsPlainText -Force) -BaseUri '$EmulatorUri' -LocationId loc-alpha; "
    $output = & $pwsh -NoProfile -NonInteractive -OutputFormat Text -Command ($prelude + $Script) 2>&1
    @($output | ForEach-Object { "$_" })
}

function Get-WorkflowEnrollments {
    <# The emulator's workflow enrollments since the last reset (GET /_emulator/workflow-enrollments). #>
    param([Parameter(Mandatory)] [string] $EmulatorUri)
    $all = Invoke-RestMethod -Uri ($EmulatorUri + '/_emulator/workflow-enrollments') -Method Get -UseBasicParsing -TimeoutSec 30 -ErrorAction Stop
    foreach ($e in @($all)) { if ($null -ne $e) { $e } }
}

Export-ModuleMember -Function 'Invoke-LcWhatIf', 'Get-WorkflowEnrollments'
