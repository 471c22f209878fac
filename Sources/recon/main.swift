import ReconCLI
MallocSettings.apply()
ReconCLI.main()
