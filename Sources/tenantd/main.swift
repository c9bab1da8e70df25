print("tenantd")
