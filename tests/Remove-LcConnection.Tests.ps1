# Remove-LcConnection and Get-LcConnection -ListAvailable: the saved connections (Save-LcConnection) listed by name,
# never with a secret, and removed after a confirmation (ConfirmImpact High). Save-LcConnection.Tests.ps1 covers
# saving, connecting by name and the vault.

BeforeDiscovery {
    $onWindows = $env:OS -eq 'Windows_NT'
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession
    $onWindows = $env:OS -eq 'Windows_NT'
    $savedHome = $env:LC_CONNECTION_HOME
    function Get-SavedFile([string] $Name) { Join-Path $env:LC_CONNECTION_HOME ($Name.ToLowerInvariant() + '.json') }
}

AfterAll {
    $env:LC_CONNECTION_HOME = $savedHome
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Get-LcConnection -ListAvailable and Remove-LcConnection' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $dir = Join-Path ([System.IO.Path]::GetTempPath()) ('lc-saved-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $dir
        $env:LC_CONNECTION_HOME = Join-Path $dir 'connections'
        $null = Connect-TestLc
        Save-LcConnection -Name prod
        $null = Connect-TestLc -Tenant beta
        Save-LcConnection -Name Beta-Test
    }

    AfterEach {
        Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'lists the saved connections by name, with where each keeps its secret' {
        $list = @(Get-LcConnection -ListAvailable)
        @($list.Name) | Should -Be @('Beta-Test', 'prod')
        $list[0].PSObject.TypeNames[0] | Should -Be 'LeadConnector.SavedConnectionInfo'
        $list[0].LocationId | Should -Be 'loc-beta'
        $list[0].Storage | Should -Be $(if ($onWindows) { 'DPAPI' } else { 'OwnerOnlyFile' })
        $list[0].BaseUri | Should -Be "$BaseUri/"
        @(Get-LcConnection -ListAvailable -Name 'b*').Name | Should -Be 'Beta-Test'
        Get-LcConnection -ListAvailable -Name nobody -ErrorVariable failed -ErrorAction SilentlyContinue
        Assert-LcError $failed -ErrorId 'SavedConnectionNotFound' -Category ObjectNotFound
        (Get-LcConnection).LocationId | Should -Be 'loc-beta' -Because 'without -ListAvailable it shows the current connection'
    }

    It 'lists nothing when nothing is saved' {
        $env:LC_CONNECTION_HOME = Join-Path $dir 'none'
        @(Get-LcConnection -ListAvailable) | Should -BeNullOrEmpty
    }

    It 'removes a saved connection, asking first (ConfirmImpact High), from the pipeline too' {
        (Get-Command Remove-LcConnection).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact | Should -Be 'High'
        Remove-LcConnection -Name prod -WhatIf
        Get-SavedFile 'prod' | Should -Exist

        Get-LcConnection -ListAvailable -Name prod | Remove-LcConnection -Confirm:$false
        Get-SavedFile 'prod' | Should -Not -Exist
        @(Get-LcConnection -ListAvailable).Name | Should -Be 'Beta-Test'

        Remove-LcConnection -Name prod -Force -ErrorVariable failed -ErrorAction SilentlyContinue
        Assert-LcError $failed -ErrorId 'SavedConnectionNotFound' -Category ObjectNotFound
    }
}
