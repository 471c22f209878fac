import ReconCLI
MallocArenas.limitToOne()
ReconCLI.main()
