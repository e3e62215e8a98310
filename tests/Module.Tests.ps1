BeforeDiscovery {
    $repoRoot = Split-Path -Parent $PSScriptRoot
    $manifestData = Import-PowerShellDataFile -Path (Join-Path $repoRoot 'LeadConnector.psd1')
    $cmdletCases = @($manifestData.CmdletsToExport | ForEach-Object { @{ Name = $_ } })
    # The compiled help (en-US) is committed, so these tests always run; build.ps1 -Task Test checks it is current.
}

BeforeAll {
    $repoRoot = Split-Path -Parent $PSScriptRoot
    $manifestPath = Join-Path $repoRoot 'LeadConnector.psd1'
    $manifestData = Import-PowerShellDataFile -Path $manifestPath
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-LeadConnector
    $module = Get-Module -Name LeadConnector

    # Parameters every cmdlet gets from PowerShell; -WhatIf and -Confirm are not among them, so pages must document them.
    $commonParameters = @([System.Management.Automation.PSCmdlet]::CommonParameters) + 'UseTransaction'

    function Get-DocsPage {
        param([string] $Name)
        $path = Join-Path $repoRoot "docs/$Name.md"
        if (-not (Test-Path -LiteralPath $path)) { return $null }
        Get-Content -LiteralPath $path -Raw -Encoding UTF8
    }
}

Describe 'LeadConnector module' {
    It 'has a valid manifest' {
        $info = Test-ModuleManifest -Path $manifestPath -ErrorAction Stop

        $info.Name | Should -Be 'LeadConnector'
        $manifestData.RootModule | Should -Be 'bin/LeadConnector.dll'
        $manifestData.PowerShellVersion | Should -Be '5.1'
        $manifestData.CompatiblePSEditions | Should -Contain 'Desktop'
        $manifestData.CompatiblePSEditions | Should -Contain 'Core'
        $manifestData.FormatsToProcess | Should -Contain 'LeadConnector.Format.ps1xml'
    }

    It 'is ready for the PowerShell Gallery' {
        $manifestData.Description | Should -Not -BeNullOrEmpty
        $manifestData.ModuleVersion | Should -Match '^\d+\.\d+\.\d+$'
        $data = $manifestData.PrivateData.PSData
        @($data.Tags).Count | Should -BeGreaterThan 3
        $data.ProjectUri | Should -Match '^https://'
        $data.LicenseUri | Should -Match '^https://'
        $data.ReleaseNotes | Should -Match ([regex]::Escape($manifestData.ModuleVersion))
        $manifestData.TypesToProcess | Should -Contain 'LeadConnector.Types.ps1xml'
    }

    It 'lists its exports explicitly, with no wildcards' {
        foreach ($key in 'CmdletsToExport', 'FunctionsToExport', 'VariablesToExport', 'AliasesToExport') {
            $manifestData.ContainsKey($key) | Should -BeTrue -Because "$key must be listed"
            @($manifestData[$key] | Where-Object { $_ -match '[*?]' }) | Should -BeNullOrEmpty
        }
    }

    It 'has every file it lists' {
        foreach ($file in @($manifestData.RootModule) + @($manifestData.FormatsToProcess) + @($manifestData.TypesToProcess)) {
            Join-Path $repoRoot $file | Should -Exist
        }
    }

    It 'keeps the version in one place: the assemblies carry the manifest version' {
        $assembly = (Get-Command -Name Connect-Lc).ImplementingType.Assembly
        $assembly.GetName().Version.ToString(3) | Should -Be $manifestData.ModuleVersion
    }

    It 'is compatible with the edition running the tests' {
        $edition = 'Desktop'
        if ($PSVersionTable.ContainsKey('PSEdition')) { $edition = $PSVersionTable.PSEdition }

        $manifestData.CompatiblePSEditions | Should -Contain $edition
    }

    It 'exports exactly the cmdlets the manifest lists' {
        $exported = @($module.ExportedCmdlets.Keys | Sort-Object)
        $listed = @($manifestData.CmdletsToExport | Sort-Object)

        ($exported -join ',') | Should -Be ($listed -join ',')
    }

    It 'lists every cmdlet class of the assembly in the manifest' {
        $assembly = (Get-Command -Name Connect-Lc).ImplementingType.Assembly
        $declared = foreach ($type in $assembly.GetExportedTypes()) {
            if ($type.IsAbstract) { continue }
            $attribute = [System.Attribute]::GetCustomAttribute($type, [System.Management.Automation.CmdletAttribute])
            if ($null -ne $attribute) { '{0}-{1}' -f $attribute.VerbName, $attribute.NounName }
        }

        (@($declared | Sort-Object) -join ',') | Should -Be (@($manifestData.CmdletsToExport | Sort-Object) -join ',')
    }

    It 'exports no functions, variables or aliases' {
        $module.ExportedFunctions.Count | Should -Be 0
        $module.ExportedVariables.Count | Should -Be 0
        $module.ExportedAliases.Count | Should -Be 0
    }

    It 'loads the views of the format file' {
        foreach ($typeName in 'LeadConnector.Conversation', 'LeadConnector.EmailMessage', 'LeadConnector.Connection') {
            @(Get-FormatData -TypeName $typeName).Count | Should -BeGreaterThan 0 -Because "$typeName has a view"
        }
    }

    It 'has an about topic in docs' {
        $path = Join-Path $repoRoot 'docs/about_LeadConnector.md'
        Test-Path -LiteralPath $path | Should -BeTrue
        $lines = Get-Content -LiteralPath $path -Encoding UTF8
        $lines[0] | Should -Be '# about_LeadConnector'
        ($lines -join "`n") | Should -Match '(?m)^## about_LeadConnector\s*$'
    }
}

Describe 'Cmdlet docs and help' {
    It '<Name> has a docs page in PlatyPS format' -TestCases $cmdletCases {
        $page = Get-DocsPage -Name $Name

        $page | Should -Not -BeNullOrEmpty
        $page | Should -Match '(?m)^external help file: LeadConnector\.dll-Help\.xml\s*$'
        $page | Should -Match '(?m)^Module Name: LeadConnector\s*$'
        $page | Should -Match '(?m)^schema: 2\.0\.0\s*$'
        $page | Should -Match ('(?m)^# {0}\s*$' -f [regex]::Escape($Name))
        foreach ($section in 'SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS') {
            $page | Should -Match ('(?m)^## {0}\s*$' -f $section) -Because "the page needs a $section section"
        }
    }

    It '<Name> documents every parameter' -TestCases $cmdletCases {
        $page = Get-DocsPage -Name $Name
        $parameters = @((Get-Command -Name $Name).Parameters.Keys | Where-Object { $commonParameters -notcontains $_ })

        foreach ($parameter in $parameters) {
            $page | Should -Match ('(?m)^### -{0}\s*$' -f [regex]::Escape($parameter)) -Because "-$parameter needs a section"
        }
        $page | Should -Match '(?m)^### CommonParameters\s*$'
    }

    It '<Name> has at least two examples in its docs page' -TestCases $cmdletCases {
        $page = Get-DocsPage -Name $Name

        ([regex]::Matches($page, '(?m)^### Example \d+')).Count | Should -BeGreaterOrEqual 2
    }

    It '<Name> has compiled help with a synopsis, two or more examples and every parameter described' -TestCases $cmdletCases {
        $help = Get-Help -Name $Name -Full

        "$($help.Synopsis)".Trim() | Should -Not -BeNullOrEmpty
        "$($help.Synopsis)".Trim() | Should -Not -BeLike "$Name *" -Because 'a synopsis that is only the syntax means the MAML was not found'
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        foreach ($example in @($help.Examples.Example)) {
            "$($example.Code)".Trim() | Should -Not -BeNullOrEmpty
        }
        $parameters = @((Get-Command -Name $Name).Parameters.Keys | Where-Object { $commonParameters -notcontains $_ })
        foreach ($parameter in $parameters) {
            $entry = @($help.Parameters.Parameter) | Where-Object { $_.Name -eq $parameter }
            $entry | Should -Not -BeNullOrEmpty -Because "-$parameter must be in the help"
            ($entry.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$parameter needs a description"
        }
    }

    It '<Name> has an online page (Get-Help -Online)' -TestCases $cmdletCases {
        $page = Get-DocsPage -Name $Name
        $page | Should -Match ('(?m)^online version: https://github\.com/leadconnector-powershell/LeadConnector/blob/main/docs/{0}\.md\s*$' -f [regex]::Escape($Name))
        $uri = @((Get-Help -Name $Name -Full).relatedLinks.navigationLink.uri) | Where-Object { $_ }
        $uri | Should -Contain "https://github.com/leadconnector-powershell/LeadConnector/blob/main/docs/$Name.md"
    }

    It '<Name> help reads as plain text: no markdown backticks in its paragraphs' -TestCases $cmdletCases {
        $help = Get-Help -Name $Name -Full
        $paragraphs = @("$($help.Description | Out-String)") + @($help.Parameters.Parameter | ForEach-Object { $_.Description | Out-String }) +
            @($help.Examples.Example | ForEach-Object { $_.Remarks | Out-String })
        foreach ($text in $paragraphs) { $text | Should -Not -Match '`[^`\r\n]+`' -Because 'a code span shows its backticks in plain-text help' }
    }

    It '<Name> help has no platyPS placeholders' -TestCases $cmdletCases {
        $text = Get-Help -Name $Name -Full | Out-String -Width 250

        $text | Should -Not -Match '\{\{ ?(Fill|Add|Insert)[^}]*\}\}'
    }
}

Describe 'about_LeadConnector' {
    It 'is installed as a help topic' {
        $topic = Get-Help -Name about_LeadConnector | Out-String

        $topic | Should -Match 'about_LeadConnector'
        $topic | Should -Match 'Retry|retries'
        $topic.Length | Should -BeGreaterThan 2000
    }

    It 'keeps its name''s case, and lists exactly the cmdlets the manifest exports' {
        $compiled = [System.IO.File]::ReadAllText((Join-Path $repoRoot 'en-US/about_LeadConnector.help.txt'))
        $compiled | Should -Match "TOPIC\r?\n    about_LeadConnector\r?\n"
        $doc = [System.IO.File]::ReadAllText((Join-Path $repoRoot 'docs/about_LeadConnector.md'))
        $list = [regex]::Match($doc, '(?s)# LONG DESCRIPTION.*?```\r?\n(.*?)```').Groups[1].Value
        $listed = @($list -split '\r?\n' | Where-Object { $_.Trim() } | ForEach-Object { ($_ -split '\s+')[0] }) | Sort-Object
        $exported = @((Import-PowerShellDataFile -LiteralPath (Join-Path $repoRoot 'LeadConnector.psd1')).CmdletsToExport) | Sort-Object
        ($listed -join ',') | Should -Be ($exported -join ',')
    }

    It 'reads as plain text: no markdown code spans, and every paragraph as written, without stray spaces' {
        $compiled = [System.IO.File]::ReadAllText((Join-Path $repoRoot 'en-US/about_LeadConnector.help.txt'))
        $compiled | Should -Not -Match '`[A-Za-z-][^`\r\n]*`'
        # Each paragraph or list item of the source, words joined by one space, is in the compiled topic the same way.
        $flat = (($compiled -split '\r?\n') | ForEach-Object { $_.Trim() } | Where-Object { $_ }) -join ' '
        $inCode = $false; $para = @(); $checked = 0
        foreach ($line in (Get-Content -LiteralPath (Join-Path $repoRoot 'docs/about_LeadConnector.md') -Encoding UTF8) + '') {
            if ($line.StartsWith('```')) { $inCode = -not $inCode; continue }
            if ($inCode) { continue }
            if (-not $line.Trim() -or $line.StartsWith('#') -or $line.StartsWith('- ')) {
                if ($para.Count -gt 0) {
                    $text = (($para | ForEach-Object { $_.Trim() }) -join ' ') -replace '`', ''
                    $flat.Contains($text) | Should -BeTrue -Because "the topic says '$text' as written"
                    $checked++
                }
                $para = @()
                if ($line.StartsWith('- ')) { $para = @($line) }
                continue
            }
            $para += $line
        }
        $checked | Should -BeGreaterThan 30
    }
}
