-- (c) :checkhealth codemyspec reports Neovim, the server and its version, the workspace's
-- config and store. Prints the report on stdout for pytest.
local H = dofile(os.getenv('CMS_TEST_HELPERS'))

H.main(function()
  local client = H.session()
  if os.getenv('CMS_TEST_START') then
    -- A session, so that the store exists.
    H.execute(client, 'codemyspec/startSession', { context = 'Orders', environment = 'neovim' })
  end
  H.print_health()
  H.pass('health ran')
end)
