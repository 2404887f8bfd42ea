# azd's preprovision hook on Windows (azure.yaml): the same as preprovision.sh.
# Written for Windows PowerShell 5.1 as well as PowerShell 7 (no Convert.ToHexString, no static
# RandomNumberGenerator.GetBytes, none of PowerShell 7's operators), and ASCII only, since Windows
# PowerShell reads a file without a byte-order mark in the system's ANSI code page.
$ErrorActionPreference = 'Stop'

$missing = @('BLOG_URL', 'ALLOWED_ORIGINS') | Where-Object { -not [Environment]::GetEnvironmentVariable($_) }
if ($missing) {
    Write-Error ("Set these first (see infra/README.md):`n" + (($missing | ForEach-Object { "  azd env set $_ <value>" }) -join "`n"))
}
if ($env:ALLOWED_ORIGINS.Contains('*')) {
    Write-Error "ALLOWED_ORIGINS must name the blog's origins; a wildcard is refused."
}

# 32 bytes from the system's cryptographic random source, as 64 lowercase hexadecimal digits.
function New-RandomKey {
    $bytes = New-Object byte[] 32
    $random = [System.Security.Cryptography.RandomNumberGenerator]::Create()
    try { $random.GetBytes($bytes) } finally { $random.Dispose() }
    -join ($bytes | ForEach-Object { $_.ToString('x2') })
}

foreach ($name in @('ADMIN_API_KEY', 'LINK_SIGNING_KEY')) {
    if (-not [Environment]::GetEnvironmentVariable($name)) {
        azd env set $name (New-RandomKey) | Out-Null
        Write-Host "Made $name (read it with: azd env get-value $name)"
    }
}

# The budget's start month, kept once: the Budgets API refuses to change a budget's start date.
if (-not $env:BUDGET_START_DATE) {
    $month = [DateTime]::UtcNow.ToString('yyyy-MM', [System.Globalization.CultureInfo]::InvariantCulture)
    azd env set BUDGET_START_DATE "$month-01" | Out-Null
    Write-Host "Made BUDGET_START_DATE (the budget's first month; keep it)"
}
