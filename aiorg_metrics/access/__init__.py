"""Who may see and do what: roles, the permissions table, the roles file and local mode (no Streamlit here)."""
