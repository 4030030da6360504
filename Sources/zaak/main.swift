print("zaak")
