# Helpers shared by the Pester tests of the contact tag, note and workflow cmdlets (Add-/Remove-LcContactTag,
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
    $manifest = Join-Path (Get-RepoRoot) 'LeadConnector.psd1'
    $token = Get-TestToken -Tenant alpha
    $prelude = "Import-Module '$manifest' -ErrorAction Stop; " +
        "`$null = Connect-Lc -AccessToken (ConvertTo-SecureString -String '$token' -AsPlainText -Force) -BaseUri '$EmulatorUri' -LocationId loc-alpha; "
    $output = & $pwsh -NoProfile -NonInteractive -OutputFormat Text -Command ($prelude + $Script) 2>&1
    @($output | ForEach-Object { "$_" })
}

function Get-WorkflowEnrollments {
    <# The emulator's workflow enrollments since the last reset (GET /_emulator/workflow-enrollments). #>
    $all = Invoke-EmulatorApi -Method Get -Path '/_emulator/workflow-enrollments'
    foreach ($e in @($all)) { if ($null -ne $e) { $e } }
}

Export-ModuleMember -Function 'Invoke-LcWhatIf', 'Get-WorkflowEnrollments'
