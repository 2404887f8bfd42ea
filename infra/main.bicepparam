// Parameters of main.bicep. Every value comes from an environment variable, so that `azd up`
// (which sets the azd environment's values as variables) and a plain
// `az deployment group create -p infra/main.bicepparam` read the same ones, and no value of a
// blog, let alone a secret, is written in the repository. infra/README.md lists the variables.
using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'comments')

param blog = {
  url: readEnvironmentVariable('BLOG_URL')
  siteName: readEnvironmentVariable('BLOG_NAME', 'Blog')
  language: readEnvironmentVariable('BLOG_LANGUAGE', 'en') == 'fr' ? 'fr' : 'en'
  ownerEmail: readEnvironmentVariable('OWNER_EMAIL', '')
  fromEmail: readEnvironmentVariable('FROM_EMAIL', '')
  fromName: readEnvironmentVariable('FROM_NAME', '')
}

// Comma-separated origins of the blog, e.g. "https://blog.example.com,https://www.example.com".
param allowedOrigins = map(split(readEnvironmentVariable('ALLOWED_ORIGINS'), ','), origin => trim(origin))

var moderation = readEnvironmentVariable('MODERATION_MODE', 'first-time')
param moderationMode = moderation == 'none' ? 'none' : moderation == 'all' ? 'all' : 'first-time'

// Page views read storage, not functions (docs/cost.md): on unless PUBLIC_VIEWS is "false".
param publicViews = toLower(readEnvironmentVariable('PUBLIC_VIEWS', 'true')) != 'false'

// 512 (the default), 2048 or 4096 MB an instance; see the cost estimate in infra/README.md.
var instanceMemory = readEnvironmentVariable('INSTANCE_MEMORY_MB', '512')
param instanceMemoryMB = instanceMemory == '2048' ? 2048 : instanceMemory == '4096' ? 4096 : 512
// A ceiling for each function group (HTTP, each queue trigger, the timer), not for the app.
param maximumInstanceCount = int(readEnvironmentVariable('MAXIMUM_INSTANCE_COUNT', '40'))

// The budget and the alerts email ALERT_EMAIL, else OWNER_EMAIL.
param alertEmail = readEnvironmentVariable('ALERT_EMAIL', readEnvironmentVariable('OWNER_EMAIL', ''))
param monthlyBudget = int(readEnvironmentVariable('MONTHLY_BUDGET', '30'))
// Kept by the preprovision hook the first time: a budget's start date can never change.
param budgetStartDate = readEnvironmentVariable('BUDGET_START_DATE', '')
param failureRatePercent = int(readEnvironmentVariable('FAILURE_RATE_PERCENT', '5'))

// Where emails go: sendgrid, smtp, or empty (SendGrid when SENDGRID_API_KEY is set).
var provider = toLower(readEnvironmentVariable('EMAIL_PROVIDER', ''))
param emailProvider = provider == 'smtp' ? 'smtp' : provider == 'sendgrid' ? 'sendgrid' : ''
var smtpSecurity = toLower(readEnvironmentVariable('SMTP_SECURITY', 'Auto'))
param smtp = {
  host: readEnvironmentVariable('SMTP_HOST', '')
  port: int(readEnvironmentVariable('SMTP_PORT', '0'))
  username: readEnvironmentVariable('SMTP_USERNAME', '')
  security: smtpSecurity == 'starttls' ? 'StartTls' : smtpSecurity == 'sslonconnect' ? 'SslOnConnect' : 'Auto'
}

// Secrets: the admin key and the link-signing key are required (azure.yaml's preprovision hook
// makes both once per azd environment); SendGrid, the SMTP password and Akismet are optional.
param adminApiKey = readEnvironmentVariable('ADMIN_API_KEY')
param linkSecret = readEnvironmentVariable('LINK_SIGNING_KEY')
param sendGridApiKey = readEnvironmentVariable('SENDGRID_API_KEY', '')
param smtpPassword = readEnvironmentVariable('SMTP_PASSWORD', '')
param akismetApiKey = readEnvironmentVariable('AKISMET_API_KEY', '')
