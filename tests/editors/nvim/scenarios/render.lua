-- The agent output rule in Lua (render.lua) on recorded outputs: each file of CMS_TEST_CASES
-- ("output=path" pairs) is fed in chunks of 7 bytes, as a pipe may split it, and the lines
-- a person would see are written as JSON to CMS_TEST_OUT for pytest to compare with the
-- server's renderer.
local H = dofile(os.getenv('CMS_TEST_HELPERS'))

H.main(function()
  local render = dofile(vim.fs.joinpath(os.getenv('CMS_TEST_PLUGIN'), 'lua/codemyspec/render.lua'))
  local results = {}
  for pair in vim.gsplit(assert(os.getenv('CMS_TEST_CASES')), ',', { plain = true }) do
    local output, path = pair:match('^([^=]+)=(.+)$')
    local data = table.concat(vim.fn.readfile(path, 'b'), '\n')
    local stream = render.stream(output)
    local shown = {}
    for i = 1, #data, 7 do
      shown[#shown + 1] = stream.feed(data:sub(i, i + 6))
    end
    shown[#shown + 1] = stream.flush()
    local lines = vim.split(table.concat(shown), '\n', { plain = true })
    if lines[#lines] == '' then
      table.remove(lines) -- after the last newline
    end
    results[pair] = lines
  end
  vim.fn.writefile({ vim.json.encode(results) }, assert(os.getenv('CMS_TEST_OUT')))
  H.pass('rendered')
end)
